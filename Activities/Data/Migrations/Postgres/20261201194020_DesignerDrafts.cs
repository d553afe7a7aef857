using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplaintWorkflows.Activities.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DesignerDrafts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "cw_process_draft",
                columns: table => new
                {
                    ProcessKey = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    BasedOnVersion = table.Column<int>(type: "integer", nullable: true),
                    Xml = table.Column<string>(type: "text", nullable: false),
                    FormsJson = table.Column<string>(type: "text", nullable: false),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Revision = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_process_draft", x => x.ProcessKey);
                });

            migrationBuilder.CreateTable(
                name: "cw_process_form",
                columns: table => new
                {
                    FormKey = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    ProcessKey = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    SchemaJson = table.Column<string>(type: "text", nullable: false),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_process_form", x => x.FormKey);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "cw_process_draft");

            migrationBuilder.DropTable(
                name: "cw_process_form");
        }
    }
}
