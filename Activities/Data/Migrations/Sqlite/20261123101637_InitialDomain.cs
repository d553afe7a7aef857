using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplaintWorkflows.Activities.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InitialDomain : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "cw_absence",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    From = table.Column<long>(type: "INTEGER", nullable: false),
                    To = table.Column<long>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_absence", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cw_archive",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    ComplaintId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ArchivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Content = table.Column<string>(type: "TEXT", nullable: false),
                    PreviousHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_archive", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "cw_calendar_year",
                columns: table => new
                {
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_calendar_year", x => x.Year);
                });

            migrationBuilder.CreateTable(
                name: "cw_case",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CaseNumber = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ComplaintId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Clue = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    OpeningDueAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Extended = table.Column<bool>(type: "INTEGER", nullable: false),
                    OpenedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Decision = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ProcessInstanceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_case", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cw_classification_correction",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ComplaintId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Text = table.Column<string>(type: "TEXT", maxLength: 10000, nullable: false),
                    Dimension = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Label = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    CorrectedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CorrectedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_classification_correction", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cw_classification_model",
                columns: table => new
                {
                    Dimension = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false),
                    TrainedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExampleCount = table.Column<int>(type: "INTEGER", nullable: false),
                    Labels = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Bytes = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_classification_model", x => x.Dimension);
                });

            migrationBuilder.CreateTable(
                name: "cw_classification_rule",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Dimension = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Label = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Keyword = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Weight = table.Column<double>(type: "REAL", nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_classification_rule", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cw_closure_record",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ComplaintId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Round = table.Column<int>(type: "INTEGER", nullable: false),
                    BasicFacts = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    DisputePoints = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    MediationProcess = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    Result = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    MediationSucceeded = table.Column<bool>(type: "INTEGER", nullable: false),
                    Signatures = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    RecordedBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    RecordedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DeskDecision = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    DeskComment = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    DeskReviewer = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    DeskReviewedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LeaderDecision = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    LeaderComment = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    LegalDecision = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    LegalComment = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_closure_record", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cw_complaint",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    TrackingNumber = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    IsReport = table.Column<bool>(type: "INTEGER", nullable: false),
                    LinkedComplaintId = table.Column<string>(type: "TEXT", nullable: true),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ConsumerUserId = table.Column<string>(type: "TEXT", nullable: true),
                    ConsumerName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ConsumerPhone = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ConsumerAddress = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    ConsumerEmail = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true),
                    RespondentName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    RespondentAddress = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Request = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Facts = table.Column<string>(type: "TEXT", maxLength: 10000, nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RegisteredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RegisteredLate = table.Column<bool>(type: "INTEGER", nullable: false),
                    RuleSet = table.Column<string>(type: "TEXT", nullable: true),
                    DeskNote = table.Column<string>(type: "TEXT", nullable: true),
                    ProblemType = table.Column<string>(type: "TEXT", nullable: true),
                    GoodsOrService = table.Column<string>(type: "TEXT", nullable: true),
                    Industry = table.Column<string>(type: "TEXT", nullable: true),
                    Tier = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    ClassificationConfidence = table.Column<double>(type: "REAL", nullable: true),
                    SuspectedProfessionalClaimant = table.Column<bool>(type: "INTEGER", nullable: false),
                    SuspectedGroupComplaint = table.Column<bool>(type: "INTEGER", nullable: false),
                    UnitId = table.Column<string>(type: "TEXT", nullable: true),
                    DepartmentId = table.Column<string>(type: "TEXT", nullable: true),
                    HandlerUserName = table.Column<string>(type: "TEXT", nullable: true),
                    AcceptanceDueAt = table.Column<long>(type: "INTEGER", nullable: true),
                    HandlingDueAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AcceptedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ArchivedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ClosedOnTime = table.Column<bool>(type: "INTEGER", nullable: true),
                    ReturnCount = table.Column<int>(type: "INTEGER", nullable: false),
                    RefusalGround = table.Column<string>(type: "TEXT", nullable: true),
                    MediationSucceeded = table.Column<bool>(type: "INTEGER", nullable: true),
                    SatisfactionScore = table.Column<int>(type: "INTEGER", nullable: true),
                    CaseId = table.Column<string>(type: "TEXT", nullable: true),
                    ProcessInstanceId = table.Column<string>(type: "TEXT", nullable: true),
                    IdempotencyKey = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    ContentFingerprint = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_complaint", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cw_complaint_event",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ComplaintId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Public = table.Column<bool>(type: "INTEGER", nullable: false),
                    ProcessInstanceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ElementId = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_complaint_event", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cw_counter",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Value = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_counter", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "cw_deadline_rule_set",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    EffectiveFrom = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    AcceptanceWorkingDays = table.Column<int>(type: "INTEGER", nullable: false),
                    SimpleWorkingDays = table.Column<int>(type: "INTEGER", nullable: false),
                    GeneralWorkingDays = table.Column<int>(type: "INTEGER", nullable: false),
                    ComplexWorkingDays = table.Column<int>(type: "INTEGER", nullable: false),
                    MediationLimit = table.Column<int>(type: "INTEGER", nullable: false),
                    MediationLimitUnit = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    TerminationNoticeWorkingDays = table.Column<int>(type: "INTEGER", nullable: false),
                    CaseOpeningWorkingDays = table.Column<int>(type: "INTEGER", nullable: false),
                    CaseOpeningExtensionWorkingDays = table.Column<int>(type: "INTEGER", nullable: false),
                    ReporterNoticeWorkingDays = table.Column<int>(type: "INTEGER", nullable: false),
                    HotlineReplyWorkingDays = table.Column<int>(type: "INTEGER", nullable: false),
                    LetterReplyWorkingDays = table.Column<int>(type: "INTEGER", nullable: false),
                    SocialSimpleReplyHours = table.Column<int>(type: "INTEGER", nullable: false),
                    SocialGeneralReplyHours = table.Column<int>(type: "INTEGER", nullable: false),
                    SocialComplexReplyHours = table.Column<int>(type: "INTEGER", nullable: false),
                    RegistrationMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    WarningFraction = table.Column<double>(type: "REAL", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_deadline_rule_set", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cw_department",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UnitId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ProblemTypes = table.Column<string>(type: "TEXT", nullable: false),
                    Industries = table.Column<string>(type: "TEXT", nullable: false),
                    GoodsOrServices = table.Column<string>(type: "TEXT", nullable: false),
                    Keywords = table.Column<string>(type: "TEXT", nullable: false),
                    IsJointEnforcementGroup = table.Column<bool>(type: "INTEGER", nullable: false),
                    IsLegalSection = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_department", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cw_duty_shift",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UnitId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_duty_shift", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cw_platform_operator",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PlatformName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Aliases = table.Column<string>(type: "TEXT", nullable: false),
                    OperatorName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    DomicileUnitId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_platform_operator", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cw_staff",
                columns: table => new
                {
                    UserName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DisplayName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    UnitId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DepartmentId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Roles = table.Column<string>(type: "TEXT", nullable: false),
                    Skills = table.Column<string>(type: "TEXT", nullable: false),
                    PartnerUserName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    MaxOpenComplaints = table.Column<int>(type: "INTEGER", nullable: false),
                    Active = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_staff", x => x.UserName);
                });

            migrationBuilder.CreateTable(
                name: "cw_survey_answer",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ComplaintId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Speed = table.Column<int>(type: "INTEGER", nullable: true),
                    Attitude = table.Column<int>(type: "INTEGER", nullable: true),
                    Communication = table.Column<int>(type: "INTEGER", nullable: true),
                    Fairness = table.Column<int>(type: "INTEGER", nullable: true),
                    Professionalism = table.Column<int>(type: "INTEGER", nullable: true),
                    Overall = table.Column<int>(type: "INTEGER", nullable: false),
                    Comment = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    AnsweredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    HandlerUserName = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_survey_answer", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cw_unit",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ParentUnitId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Regions = table.Column<string>(type: "TEXT", nullable: false),
                    Contact = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Active = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_unit", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cw_calendar_day",
                columns: table => new
                {
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_calendar_day", x => x.Date);
                    table.ForeignKey(
                        name: "FK_cw_calendar_day_cw_calendar_year_Year",
                        column: x => x.Year,
                        principalTable: "cw_calendar_year",
                        principalColumn: "Year",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_cw_absence_UserName_To",
                table: "cw_absence",
                columns: new[] { "UserName", "To" });

            migrationBuilder.CreateIndex(
                name: "IX_cw_archive_ComplaintId",
                table: "cw_archive",
                column: "ComplaintId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cw_calendar_day_Year",
                table: "cw_calendar_day",
                column: "Year");

            migrationBuilder.CreateIndex(
                name: "IX_cw_case_CaseNumber",
                table: "cw_case",
                column: "CaseNumber",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cw_case_ComplaintId",
                table: "cw_case",
                column: "ComplaintId");

            migrationBuilder.CreateIndex(
                name: "IX_cw_classification_correction_Dimension",
                table: "cw_classification_correction",
                column: "Dimension");

            migrationBuilder.CreateIndex(
                name: "IX_cw_classification_rule_Dimension_Label_Keyword",
                table: "cw_classification_rule",
                columns: new[] { "Dimension", "Label", "Keyword" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cw_closure_record_ComplaintId_Round",
                table: "cw_closure_record",
                columns: new[] { "ComplaintId", "Round" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cw_complaint_ConsumerPhone",
                table: "cw_complaint",
                column: "ConsumerPhone");

            migrationBuilder.CreateIndex(
                name: "IX_cw_complaint_ContentFingerprint",
                table: "cw_complaint",
                column: "ContentFingerprint");

            migrationBuilder.CreateIndex(
                name: "IX_cw_complaint_HandlerUserName",
                table: "cw_complaint",
                column: "HandlerUserName");

            migrationBuilder.CreateIndex(
                name: "IX_cw_complaint_IdempotencyKey",
                table: "cw_complaint",
                column: "IdempotencyKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cw_complaint_ReceivedAt",
                table: "cw_complaint",
                column: "ReceivedAt");

            migrationBuilder.CreateIndex(
                name: "IX_cw_complaint_RespondentName",
                table: "cw_complaint",
                column: "RespondentName");

            migrationBuilder.CreateIndex(
                name: "IX_cw_complaint_TrackingNumber",
                table: "cw_complaint",
                column: "TrackingNumber",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cw_complaint_UnitId_Status",
                table: "cw_complaint",
                columns: new[] { "UnitId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_cw_complaint_event_ComplaintId_At",
                table: "cw_complaint_event",
                columns: new[] { "ComplaintId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_cw_deadline_rule_set_EffectiveFrom",
                table: "cw_deadline_rule_set",
                column: "EffectiveFrom",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cw_department_UnitId",
                table: "cw_department",
                column: "UnitId");

            migrationBuilder.CreateIndex(
                name: "IX_cw_duty_shift_UnitId_Date_UserName",
                table: "cw_duty_shift",
                columns: new[] { "UnitId", "Date", "UserName" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cw_platform_operator_PlatformName",
                table: "cw_platform_operator",
                column: "PlatformName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cw_staff_UnitId",
                table: "cw_staff",
                column: "UnitId");

            migrationBuilder.CreateIndex(
                name: "IX_cw_survey_answer_ComplaintId",
                table: "cw_survey_answer",
                column: "ComplaintId");

            migrationBuilder.CreateIndex(
                name: "IX_cw_survey_answer_HandlerUserName",
                table: "cw_survey_answer",
                column: "HandlerUserName");

            migrationBuilder.CreateIndex(
                name: "IX_cw_unit_ParentUnitId",
                table: "cw_unit",
                column: "ParentUnitId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "cw_absence");

            migrationBuilder.DropTable(
                name: "cw_archive");

            migrationBuilder.DropTable(
                name: "cw_calendar_day");

            migrationBuilder.DropTable(
                name: "cw_case");

            migrationBuilder.DropTable(
                name: "cw_classification_correction");

            migrationBuilder.DropTable(
                name: "cw_classification_model");

            migrationBuilder.DropTable(
                name: "cw_classification_rule");

            migrationBuilder.DropTable(
                name: "cw_closure_record");

            migrationBuilder.DropTable(
                name: "cw_complaint");

            migrationBuilder.DropTable(
                name: "cw_complaint_event");

            migrationBuilder.DropTable(
                name: "cw_counter");

            migrationBuilder.DropTable(
                name: "cw_deadline_rule_set");

            migrationBuilder.DropTable(
                name: "cw_department");

            migrationBuilder.DropTable(
                name: "cw_duty_shift");

            migrationBuilder.DropTable(
                name: "cw_platform_operator");

            migrationBuilder.DropTable(
                name: "cw_staff");

            migrationBuilder.DropTable(
                name: "cw_survey_answer");

            migrationBuilder.DropTable(
                name: "cw_unit");

            migrationBuilder.DropTable(
                name: "cw_calendar_year");
        }
    }
}
