using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplaintWorkflows.Activities.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Attachments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "cw_attachment",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ComplaintId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Size = table.Column<long>(type: "INTEGER", nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UploadedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UploadedBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    FromConsumer = table.Column<bool>(type: "INTEGER", nullable: false),
                    Content = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_attachment", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_cw_attachment_ComplaintId_Sha256",
                table: "cw_attachment",
                columns: new[] { "ComplaintId", "Sha256" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cw_attachment_ComplaintId_UploadedAt",
                table: "cw_attachment",
                columns: new[] { "ComplaintId", "UploadedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "cw_attachment");
        }
    }
}
