using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplaintWorkflows.Engine.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TaskDelegation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DelegationState",
                table: "wf_task",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Owner",
                table: "wf_task",
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DelegationState",
                table: "wf_task");

            migrationBuilder.DropColumn(
                name: "Owner",
                table: "wf_task");
        }
    }
}
