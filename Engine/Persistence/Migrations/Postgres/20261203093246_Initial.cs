using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplaintWorkflows.Engine.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "wf_definition",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Key = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    Xml = table.Column<string>(type: "text", nullable: false),
                    ContentHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    DeployedAt = table.Column<long>(type: "bigint", nullable: false),
                    DeploymentId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ResourceName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wf_definition", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "wf_delivery",
                columns: table => new
                {
                    DeliveryId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Receiver = table.Column<string>(type: "character varying(600)", maxLength: 600, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wf_delivery", x => new { x.DeliveryId, x.Receiver });
                });

            migrationBuilder.CreateTable(
                name: "wf_deployment",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    Source = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    DeployedAt = table.Column<long>(type: "bigint", nullable: false),
                    TenantId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Resources = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wf_deployment", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "wf_instance",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    DefinitionId = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    DefinitionKey = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    BusinessKey = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    Revision = table.Column<long>(type: "bigint", nullable: false),
                    State = table.Column<string>(type: "text", nullable: false),
                    StartedAt = table.Column<long>(type: "bigint", nullable: false),
                    EndedAt = table.Column<long>(type: "bigint", nullable: true),
                    ParentInstanceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    HasIncident = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wf_instance", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "wf_job",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    InstanceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    NodeId = table.Column<int>(type: "integer", nullable: false),
                    ElementId = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    DueAt = table.Column<long>(type: "bigint", nullable: false),
                    Retries = table.Column<int>(type: "integer", nullable: false),
                    ExceptionMessage = table.Column<string>(type: "text", nullable: true),
                    LockOwner = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    LockExpiresAt = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wf_job", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "wf_journal",
                columns: table => new
                {
                    InstanceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    FirstSequence = table.Column<long>(type: "bigint", nullable: false),
                    LastSequence = table.Column<long>(type: "bigint", nullable: false),
                    At = table.Column<long>(type: "bigint", nullable: false),
                    Entries = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wf_journal", x => new { x.InstanceId, x.FirstSequence });
                });

            migrationBuilder.CreateTable(
                name: "wf_outbox",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    Payload = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wf_outbox", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "wf_start_timer",
                columns: table => new
                {
                    DefinitionId = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    ElementId = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    DueAt = table.Column<long>(type: "bigint", nullable: false),
                    FiredCount = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wf_start_timer", x => new { x.DefinitionId, x.ElementId });
                });

            migrationBuilder.CreateTable(
                name: "wf_subscription",
                columns: table => new
                {
                    InstanceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SubscriptionId = table.Column<int>(type: "integer", nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    EventName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    CorrelationKey = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    BusinessKey = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    ElementId = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    DefinitionId = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    DueAt = table.Column<long>(type: "bigint", nullable: true),
                    FiredCount = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wf_subscription", x => new { x.InstanceId, x.SubscriptionId });
                });

            migrationBuilder.CreateTable(
                name: "wf_task",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    InstanceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    NodeId = table.Column<int>(type: "integer", nullable: false),
                    ElementId = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    Name = table.Column<string>(type: "text", nullable: false),
                    DefinitionKey = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    BusinessKey = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    Assignee = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    CandidateUsers = table.Column<string>(type: "text", nullable: false),
                    CandidateGroups = table.Column<string>(type: "text", nullable: false),
                    DueDate = table.Column<long>(type: "bigint", nullable: true),
                    FollowUpDate = table.Column<long>(type: "bigint", nullable: true),
                    Priority = table.Column<int>(type: "integer", nullable: false),
                    FormKey = table.Column<string>(type: "text", nullable: true),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wf_task", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_wf_definition_DeploymentId",
                table: "wf_definition",
                column: "DeploymentId");

            migrationBuilder.CreateIndex(
                name: "IX_wf_definition_Key_Version",
                table: "wf_definition",
                columns: new[] { "Key", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_wf_deployment_DeployedAt",
                table: "wf_deployment",
                column: "DeployedAt");

            migrationBuilder.CreateIndex(
                name: "IX_wf_deployment_Name_Source",
                table: "wf_deployment",
                columns: new[] { "Name", "Source" });

            migrationBuilder.CreateIndex(
                name: "IX_wf_instance_BusinessKey",
                table: "wf_instance",
                column: "BusinessKey");

            migrationBuilder.CreateIndex(
                name: "IX_wf_instance_DefinitionKey_Status",
                table: "wf_instance",
                columns: new[] { "DefinitionKey", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_wf_job_DueAt",
                table: "wf_job",
                column: "DueAt");

            migrationBuilder.CreateIndex(
                name: "IX_wf_job_InstanceId",
                table: "wf_job",
                column: "InstanceId");

            migrationBuilder.CreateIndex(
                name: "IX_wf_outbox_CreatedAt",
                table: "wf_outbox",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_wf_start_timer_DueAt",
                table: "wf_start_timer",
                column: "DueAt");

            migrationBuilder.CreateIndex(
                name: "IX_wf_subscription_Kind_DueAt",
                table: "wf_subscription",
                columns: new[] { "Kind", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_wf_subscription_Kind_EventName_BusinessKey",
                table: "wf_subscription",
                columns: new[] { "Kind", "EventName", "BusinessKey" });

            migrationBuilder.CreateIndex(
                name: "IX_wf_subscription_Kind_EventName_CorrelationKey",
                table: "wf_subscription",
                columns: new[] { "Kind", "EventName", "CorrelationKey" });

            migrationBuilder.CreateIndex(
                name: "IX_wf_task_Assignee",
                table: "wf_task",
                column: "Assignee");

            migrationBuilder.CreateIndex(
                name: "IX_wf_task_CreatedAt",
                table: "wf_task",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_wf_task_InstanceId",
                table: "wf_task",
                column: "InstanceId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "wf_definition");

            migrationBuilder.DropTable(
                name: "wf_delivery");

            migrationBuilder.DropTable(
                name: "wf_deployment");

            migrationBuilder.DropTable(
                name: "wf_instance");

            migrationBuilder.DropTable(
                name: "wf_job");

            migrationBuilder.DropTable(
                name: "wf_journal");

            migrationBuilder.DropTable(
                name: "wf_outbox");

            migrationBuilder.DropTable(
                name: "wf_start_timer");

            migrationBuilder.DropTable(
                name: "wf_subscription");

            migrationBuilder.DropTable(
                name: "wf_task");
        }
    }
}
