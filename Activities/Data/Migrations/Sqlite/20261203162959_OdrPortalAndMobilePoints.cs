using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplaintWorkflows.Activities.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OdrPortalAndMobilePoints : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "MobilePointId",
                table: "cw_complaint",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OdrBusinessId",
                table: "cw_complaint",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OdrOutcome",
                table: "cw_complaint",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "cw_disclosure",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Month = table.Column<string>(type: "TEXT", maxLength: 7, nullable: false),
                    BusinessName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Received = table.Column<int>(type: "INTEGER", nullable: false),
                    PreviousReceived = table.Column<int>(type: "INTEGER", nullable: false),
                    Mediated = table.Column<int>(type: "INTEGER", nullable: false),
                    MediationSucceeded = table.Column<int>(type: "INTEGER", nullable: false),
                    OdrOffered = table.Column<int>(type: "INTEGER", nullable: true),
                    OdrSettled = table.Column<int>(type: "INTEGER", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    DraftedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ReviewedBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    ReviewedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    PublishedBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    PublishedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_disclosure", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cw_mobile_point",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Place = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    UnitId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Weekdays = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    StaffOnDuty = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Active = table.Column<bool>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_mobile_point", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cw_odr_account",
                columns: table => new
                {
                    UserName = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    BusinessId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_odr_account", x => x.UserName);
                });

            migrationBuilder.CreateTable(
                name: "cw_odr_business",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Branches = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Active = table.Column<bool>(type: "INTEGER", nullable: false),
                    JoinedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_odr_business", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cw_odr_notice",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    BusinessId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ComplaintId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Author = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_odr_notice", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cw_odr_settlement",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ComplaintId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    BusinessId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Answer = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Proposal = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    ProposedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ProposedBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Decision = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DecidedVia = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_odr_settlement", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_cw_complaint_OdrBusinessId",
                table: "cw_complaint",
                column: "OdrBusinessId");

            migrationBuilder.CreateIndex(
                name: "IX_cw_disclosure_Month_BusinessName",
                table: "cw_disclosure",
                columns: new[] { "Month", "BusinessName" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cw_mobile_point_UnitId",
                table: "cw_mobile_point",
                column: "UnitId");

            migrationBuilder.CreateIndex(
                name: "IX_cw_odr_account_BusinessId",
                table: "cw_odr_account",
                column: "BusinessId");

            migrationBuilder.CreateIndex(
                name: "IX_cw_odr_business_Name",
                table: "cw_odr_business",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cw_odr_notice_BusinessId_At",
                table: "cw_odr_notice",
                columns: new[] { "BusinessId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_cw_odr_settlement_ComplaintId",
                table: "cw_odr_settlement",
                column: "ComplaintId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "cw_disclosure");

            migrationBuilder.DropTable(
                name: "cw_mobile_point");

            migrationBuilder.DropTable(
                name: "cw_odr_account");

            migrationBuilder.DropTable(
                name: "cw_odr_business");

            migrationBuilder.DropTable(
                name: "cw_odr_notice");

            migrationBuilder.DropTable(
                name: "cw_odr_settlement");

            migrationBuilder.DropIndex(
                name: "IX_cw_complaint_OdrBusinessId",
                table: "cw_complaint");

            migrationBuilder.DropColumn(
                name: "MobilePointId",
                table: "cw_complaint");

            migrationBuilder.DropColumn(
                name: "OdrBusinessId",
                table: "cw_complaint");

            migrationBuilder.DropColumn(
                name: "OdrOutcome",
                table: "cw_complaint");
        }
    }
}
