using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ComplaintWorkflows.Activities.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Emergency : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "cw_case_library",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ComplaintId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Month = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ProblemType = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Industry = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    RespondentName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Facts = table.Column<string>(type: "character varying(12000)", maxLength: 12000, nullable: false),
                    Outcome = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    Commentary = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    SelectedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SelectedAt = table.Column<long>(type: "bigint", nullable: false),
                    PublishedAt = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_case_library", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cw_emergency_cursor",
                columns: table => new
                {
                    Name = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    LastComplaintId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_emergency_cursor", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "cw_emergency_incident",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Number = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    OpenKey = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    RespondentName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    RespondentAddress = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    Matter = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Level = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: true),
                    PrepaidCard = table.Column<bool>(type: "boolean", nullable: false),
                    UnitId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ComplaintCount = table.Column<int>(type: "integer", nullable: false),
                    ConsumerCount = table.Column<int>(type: "integer", nullable: false),
                    SurgeCount = table.Column<int>(type: "integer", nullable: true),
                    SurgeBaseline = table.Column<double>(type: "double precision", nullable: true),
                    OpinionGrade = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    OpinionSource = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    IsDrill = table.Column<bool>(type: "boolean", nullable: false),
                    DrillParticipants = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Summary = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    Representatives = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    Lessons = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: true),
                    OpenedAt = table.Column<long>(type: "bigint", nullable: false),
                    ReportDueAt = table.Column<long>(type: "bigint", nullable: true),
                    ReportedAt = table.Column<long>(type: "bigint", nullable: true),
                    ClosedAt = table.Column<long>(type: "bigint", nullable: true),
                    ProcessInstanceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    OpenedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_emergency_incident", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cw_emergency_incident_complaint",
                columns: table => new
                {
                    IncidentId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ComplaintId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    JoinedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_emergency_incident_complaint", x => new { x.IncidentId, x.ComplaintId });
                });

            migrationBuilder.CreateTable(
                name: "cw_emergency_incident_event",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    IncidentId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    At = table.Column<long>(type: "bigint", nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Text = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    Data = table.Column<string>(type: "character varying(16000)", maxLength: 16000, nullable: true),
                    Actor = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_emergency_incident_event", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cw_emergency_settings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    GroupThreshold = table.Column<int>(type: "integer", nullable: false),
                    GroupWindowHours = table.Column<int>(type: "integer", nullable: false),
                    GroupMatch = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    SurgeMultiple = table.Column<double>(type: "double precision", nullable: false),
                    SurgeMinimumPerHour = table.Column<int>(type: "integer", nullable: false),
                    SurgeBaselineDays = table.Column<int>(type: "integer", nullable: false),
                    RiskThreshold = table.Column<int>(type: "integer", nullable: false),
                    RiskWindowDays = table.Column<int>(type: "integer", nullable: false),
                    OpinionBlueHours = table.Column<int>(type: "integer", nullable: false),
                    OpinionYellowHours = table.Column<int>(type: "integer", nullable: false),
                    OpinionOrangeHours = table.Column<int>(type: "integer", nullable: false),
                    OpinionRedHours = table.Column<int>(type: "integer", nullable: false),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: true),
                    UpdatedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_emergency_settings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cw_industry_regulator",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Industry = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    Address = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    Contact = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_industry_regulator", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cw_risk_notice",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Number = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    RespondentName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    RespondentAddress = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    Industry = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    DedupKey = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    ComplaintCount = table.Column<int>(type: "integer", nullable: false),
                    WindowFrom = table.Column<long>(type: "bigint", nullable: false),
                    WindowTo = table.Column<long>(type: "bigint", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    LetterText = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    RegulatorName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    RegulatorEmail = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    ReviewedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ReviewComment = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    SentAt = table.Column<long>(type: "bigint", nullable: true),
                    ProcessInstanceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_risk_notice", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cw_risk_notice_template",
                columns: table => new
                {
                    Key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Subject = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Body = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: true),
                    UpdatedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_risk_notice_template", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "cw_roster_reminder",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UnitId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Month = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    SentAt = table.Column<long>(type: "bigint", nullable: false),
                    Recipients = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_roster_reminder", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_cw_case_library_ComplaintId",
                table: "cw_case_library",
                column: "ComplaintId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cw_case_library_Month_PublishedAt",
                table: "cw_case_library",
                columns: new[] { "Month", "PublishedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_cw_emergency_incident_Number",
                table: "cw_emergency_incident",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cw_emergency_incident_OpenKey",
                table: "cw_emergency_incident",
                column: "OpenKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cw_emergency_incident_Status_OpenedAt",
                table: "cw_emergency_incident",
                columns: new[] { "Status", "OpenedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_cw_emergency_incident_complaint_ComplaintId",
                table: "cw_emergency_incident_complaint",
                column: "ComplaintId");

            migrationBuilder.CreateIndex(
                name: "IX_cw_emergency_incident_event_IncidentId",
                table: "cw_emergency_incident_event",
                column: "IncidentId");

            migrationBuilder.CreateIndex(
                name: "IX_cw_industry_regulator_Industry",
                table: "cw_industry_regulator",
                column: "Industry",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cw_risk_notice_DedupKey",
                table: "cw_risk_notice",
                column: "DedupKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cw_risk_notice_Number",
                table: "cw_risk_notice",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cw_risk_notice_RespondentName",
                table: "cw_risk_notice",
                column: "RespondentName");

            migrationBuilder.CreateIndex(
                name: "IX_cw_roster_reminder_UnitId_Month_Kind",
                table: "cw_roster_reminder",
                columns: new[] { "UnitId", "Month", "Kind" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "cw_case_library");

            migrationBuilder.DropTable(
                name: "cw_emergency_cursor");

            migrationBuilder.DropTable(
                name: "cw_emergency_incident");

            migrationBuilder.DropTable(
                name: "cw_emergency_incident_complaint");

            migrationBuilder.DropTable(
                name: "cw_emergency_incident_event");

            migrationBuilder.DropTable(
                name: "cw_emergency_settings");

            migrationBuilder.DropTable(
                name: "cw_industry_regulator");

            migrationBuilder.DropTable(
                name: "cw_risk_notice");

            migrationBuilder.DropTable(
                name: "cw_risk_notice_template");

            migrationBuilder.DropTable(
                name: "cw_roster_reminder");
        }
    }
}
