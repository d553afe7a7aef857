using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplaintWorkflows.Engine.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InboxPaging : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "DueSort",
                table: "wf_task",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "wf_task_candidate",
                columns: table => new
                {
                    TaskId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Claimed = table.Column<bool>(type: "INTEGER", nullable: false),
                    DueSort = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wf_task_candidate", x => new { x.TaskId, x.Kind, x.Name });
                });

            // Back-fill: the inbox order's due key of every task (no due date: last), and one candidate row per name
            // of its comma-wrapped lists (",a,b,"), split by a recursive query.
            migrationBuilder.Sql("UPDATE wf_task SET DueSort = COALESCE(DueDate, 9223372036854775807);");
            migrationBuilder.Sql("""
                WITH RECURSIVE split(TaskId, Kind, Rest, Name, Claimed, DueSort, CreatedAt) AS (
                    SELECT Id, 0, substr(CandidateUsers, 2), NULL, Assignee IS NOT NULL, DueSort, CreatedAt FROM wf_task WHERE length(CandidateUsers) > 1
                    UNION ALL
                    SELECT Id, 1, substr(CandidateGroups, 2), NULL, Assignee IS NOT NULL, DueSort, CreatedAt FROM wf_task WHERE length(CandidateGroups) > 1
                    UNION ALL
                    SELECT TaskId, Kind, substr(Rest, instr(Rest, ',') + 1), substr(Rest, 1, instr(Rest, ',') - 1), Claimed, DueSort, CreatedAt
                    FROM split WHERE instr(Rest, ',') > 0)
                INSERT OR IGNORE INTO wf_task_candidate (TaskId, Kind, Name, Claimed, DueSort, CreatedAt)
                SELECT TaskId, Kind, Name, Claimed, DueSort, CreatedAt FROM split WHERE Name IS NOT NULL AND Name <> '';
                """);

            migrationBuilder.CreateIndex(
                name: "IX_wf_task_Assignee_DueSort_CreatedAt_Id",
                table: "wf_task",
                columns: new[] { "Assignee", "DueSort", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_wf_task_candidate_Kind_Name_Claimed_DueSort_CreatedAt_TaskId",
                table: "wf_task_candidate",
                columns: new[] { "Kind", "Name", "Claimed", "DueSort", "CreatedAt", "TaskId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "wf_task_candidate");

            migrationBuilder.DropIndex(
                name: "IX_wf_task_Assignee_DueSort_CreatedAt_Id",
                table: "wf_task");

            migrationBuilder.DropColumn(
                name: "DueSort",
                table: "wf_task");
        }
    }
}
