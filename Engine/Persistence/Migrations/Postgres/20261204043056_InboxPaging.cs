using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplaintWorkflows.Engine.Persistence.Migrations.Postgres
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
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "wf_task_candidate",
                columns: table => new
                {
                    TaskId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    Name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    Claimed = table.Column<bool>(type: "boolean", nullable: false),
                    DueSort = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wf_task_candidate", x => new { x.TaskId, x.Kind, x.Name });
                });

            // Back-fill: the inbox order's due key of every task (no due date: last), and one candidate row per name
            // of its comma-wrapped lists (",a,b,").
            migrationBuilder.Sql("""UPDATE wf_task SET "DueSort" = COALESCE("DueDate", 9223372036854775807);""");
            migrationBuilder.Sql("""
                INSERT INTO wf_task_candidate ("TaskId", "Kind", "Name", "Claimed", "DueSort", "CreatedAt")
                SELECT t."Id", l.kind, n.name, t."Assignee" IS NOT NULL, t."DueSort", t."CreatedAt"
                FROM wf_task t
                CROSS JOIN LATERAL (VALUES (0, t."CandidateUsers"), (1, t."CandidateGroups")) AS l(kind, list)
                CROSS JOIN LATERAL unnest(string_to_array(l.list, ',')) AS n(name)
                WHERE n.name <> ''
                ON CONFLICT DO NOTHING;
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
