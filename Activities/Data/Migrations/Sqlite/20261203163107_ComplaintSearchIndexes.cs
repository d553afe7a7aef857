using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplaintWorkflows.Activities.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ComplaintSearchIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_cw_complaint_ReceivedAt",
                table: "cw_complaint");

            migrationBuilder.CreateIndex(
                name: "IX_cw_complaint_ReceivedAt_Id",
                table: "cw_complaint",
                columns: new[] { "ReceivedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_cw_complaint_Status_AcceptanceDueAt",
                table: "cw_complaint",
                columns: new[] { "Status", "AcceptanceDueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_cw_complaint_Status_HandlingDueAt",
                table: "cw_complaint",
                columns: new[] { "Status", "HandlingDueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_cw_complaint_UnitId_ReceivedAt",
                table: "cw_complaint",
                columns: new[] { "UnitId", "ReceivedAt" });

            // Free-text search of the respondent and the facts (not in the model: see ComplaintTextSearch).
            migrationBuilder.Sql(ComplaintWorkflows.Activities.Complaints.ComplaintTextSearch.SqliteCreate);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(ComplaintWorkflows.Activities.Complaints.ComplaintTextSearch.SqliteDrop);

            migrationBuilder.DropIndex(
                name: "IX_cw_complaint_ReceivedAt_Id",
                table: "cw_complaint");

            migrationBuilder.DropIndex(
                name: "IX_cw_complaint_Status_AcceptanceDueAt",
                table: "cw_complaint");

            migrationBuilder.DropIndex(
                name: "IX_cw_complaint_Status_HandlingDueAt",
                table: "cw_complaint");

            migrationBuilder.DropIndex(
                name: "IX_cw_complaint_UnitId_ReceivedAt",
                table: "cw_complaint");

            migrationBuilder.CreateIndex(
                name: "IX_cw_complaint_ReceivedAt",
                table: "cw_complaint",
                column: "ReceivedAt");
        }
    }
}
