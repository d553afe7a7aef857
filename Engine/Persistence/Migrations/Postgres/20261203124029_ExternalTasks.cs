using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplaintWorkflows.Engine.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ExternalTasks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "wf_external_task",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Topic = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    InstanceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    NodeId = table.Column<int>(type: "integer", nullable: false),
                    ElementId = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    DefinitionId = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    DefinitionKey = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    BusinessKey = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    Priority = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    WorkerId = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    LockExpiresAt = table.Column<long>(type: "bigint", nullable: true),
                    Retries = table.Column<int>(type: "integer", nullable: true),
                    ErrorMessage = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    ErrorDetails = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wf_external_task", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_wf_external_task_InstanceId",
                table: "wf_external_task",
                column: "InstanceId");

            migrationBuilder.CreateIndex(
                name: "IX_wf_external_task_Topic_LockExpiresAt",
                table: "wf_external_task",
                columns: new[] { "Topic", "LockExpiresAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "wf_external_task");
        }
    }
}
