using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplaintWorkflows.Engine.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DeploymentsAndDeliveries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DeploymentId",
                table: "wf_definition",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ResourceName",
                table: "wf_definition",
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);

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

            migrationBuilder.CreateIndex(
                name: "IX_wf_definition_DeploymentId",
                table: "wf_definition",
                column: "DeploymentId");

            migrationBuilder.CreateIndex(
                name: "IX_wf_deployment_DeployedAt",
                table: "wf_deployment",
                column: "DeployedAt");

            migrationBuilder.CreateIndex(
                name: "IX_wf_deployment_Name_Source",
                table: "wf_deployment",
                columns: new[] { "Name", "Source" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "wf_delivery");

            migrationBuilder.DropTable(
                name: "wf_deployment");

            migrationBuilder.DropIndex(
                name: "IX_wf_definition_DeploymentId",
                table: "wf_definition");

            migrationBuilder.DropColumn(
                name: "DeploymentId",
                table: "wf_definition");

            migrationBuilder.DropColumn(
                name: "ResourceName",
                table: "wf_definition");
        }
    }
}
