using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplaintWorkflows.Activities.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ClassificationTerms : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "cw_classification_term",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Term = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_classification_term", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_cw_classification_term_Term",
                table: "cw_classification_term",
                column: "Term",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "cw_classification_term");
        }
    }
}
