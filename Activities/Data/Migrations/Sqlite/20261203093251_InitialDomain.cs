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
                name: "cw_case_library",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ComplaintId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Month = table.Column<string>(type: "TEXT", maxLength: 7, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ProblemType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Industry = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    RespondentName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Facts = table.Column<string>(type: "TEXT", maxLength: 12000, nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    Commentary = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    SelectedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SelectedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    PublishedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_case_library", x => x.Id);
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
                    NotifyBy = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
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
                name: "cw_emergency_cursor",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    LastComplaintId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_emergency_cursor", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "cw_emergency_incident",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Number = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    OpenKey = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    RespondentName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    RespondentAddress = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    Matter = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Level = table.Column<string>(type: "TEXT", maxLength: 4, nullable: true),
                    PrepaidCard = table.Column<bool>(type: "INTEGER", nullable: false),
                    UnitId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ComplaintCount = table.Column<int>(type: "INTEGER", nullable: false),
                    ConsumerCount = table.Column<int>(type: "INTEGER", nullable: false),
                    SurgeCount = table.Column<int>(type: "INTEGER", nullable: true),
                    SurgeBaseline = table.Column<double>(type: "REAL", nullable: true),
                    OpinionGrade = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    OpinionSource = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    IsDrill = table.Column<bool>(type: "INTEGER", nullable: false),
                    DrillParticipants = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Summary = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    Representatives = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Lessons = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: true),
                    OpenedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ReportDueAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ReportedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ProcessInstanceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    OpenedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_emergency_incident", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cw_emergency_incident_complaint",
                columns: table => new
                {
                    IncidentId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ComplaintId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    JoinedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_emergency_incident_complaint", x => new { x.IncidentId, x.ComplaintId });
                });

            migrationBuilder.CreateTable(
                name: "cw_emergency_incident_event",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    IncidentId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    Data = table.Column<string>(type: "TEXT", maxLength: 16000, nullable: true),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_emergency_incident_event", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cw_emergency_settings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    GroupThreshold = table.Column<int>(type: "INTEGER", nullable: false),
                    GroupWindowHours = table.Column<int>(type: "INTEGER", nullable: false),
                    GroupMatch = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    SurgeMultiple = table.Column<double>(type: "REAL", nullable: false),
                    SurgeMinimumPerHour = table.Column<int>(type: "INTEGER", nullable: false),
                    SurgeBaselineDays = table.Column<int>(type: "INTEGER", nullable: false),
                    RiskThreshold = table.Column<int>(type: "INTEGER", nullable: false),
                    RiskWindowDays = table.Column<int>(type: "INTEGER", nullable: false),
                    OpinionBlueHours = table.Column<int>(type: "INTEGER", nullable: false),
                    OpinionYellowHours = table.Column<int>(type: "INTEGER", nullable: false),
                    OpinionOrangeHours = table.Column<int>(type: "INTEGER", nullable: false),
                    OpinionRedHours = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_emergency_settings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cw_handler_load",
                columns: table => new
                {
                    UserName = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    OpenComplaints = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_handler_load", x => x.UserName);
                });

            migrationBuilder.CreateTable(
                name: "cw_industry_regulator",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Industry = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Email = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true),
                    Address = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    Contact = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_industry_regulator", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cw_notification",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    MessageId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Template = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Recipient = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    RecipientUserName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Text = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    HtmlBody = table.Column<string>(type: "TEXT", maxLength: 32000, nullable: true),
                    SmsTemplateCodes = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Values = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LockOwner = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    LockExpiresAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ProviderMessageId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Provider = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    ErrorCode = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ErrorMessage = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    ComplaintId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ProcessInstanceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Drill = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DeliveredAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FailureInstanceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_notification", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cw_notification_template",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Placeholders = table.Column<string>(type: "TEXT", nullable: false),
                    SmsText = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    SmsTemplateCodes = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    EmailSubject = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    EmailHtml = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    EmailText = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    BuiltIn = table.Column<bool>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_notification_template", x => x.Key);
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
                name: "cw_process_draft",
                columns: table => new
                {
                    ProcessKey = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    BasedOnVersion = table.Column<int>(type: "INTEGER", nullable: true),
                    Xml = table.Column<string>(type: "TEXT", nullable: false),
                    FormsJson = table.Column<string>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Revision = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_process_draft", x => x.ProcessKey);
                });

            migrationBuilder.CreateTable(
                name: "cw_process_form",
                columns: table => new
                {
                    FormKey = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ProcessKey = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    SchemaJson = table.Column<string>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_process_form", x => x.FormKey);
                });

            migrationBuilder.CreateTable(
                name: "cw_risk_notice",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Number = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    RespondentName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    RespondentAddress = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    Industry = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    DedupKey = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    ComplaintCount = table.Column<int>(type: "INTEGER", nullable: false),
                    WindowFrom = table.Column<long>(type: "INTEGER", nullable: false),
                    WindowTo = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    LetterText = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    RegulatorName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    RegulatorEmail = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true),
                    ReviewedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ReviewComment = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ProcessInstanceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_risk_notice", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cw_risk_notice_template",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Body = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_risk_notice_template", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "cw_roster_reminder",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UnitId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Month = table.Column<string>(type: "TEXT", maxLength: 7, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Recipients = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_roster_reminder", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cw_secret",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Value = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_secret", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "cw_sms_receipt",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Provider = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    BizId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    PhoneNumber = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    OutId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Success = table.Column<bool>(type: "INTEGER", nullable: false),
                    ErrorCode = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    ErrorMessage = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    SendTime = table.Column<long>(type: "INTEGER", nullable: true),
                    ReportTime = table.Column<long>(type: "INTEGER", nullable: true),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_sms_receipt", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cw_sms_reply",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Provider = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ExternalId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    PhoneNumber = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Content = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    SendTime = table.Column<long>(type: "INTEGER", nullable: true),
                    DestCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    SignName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ComplaintId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Score = table.Column<int>(type: "INTEGER", nullable: true),
                    Comment = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    ProcessedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_sms_reply", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cw_sms_send",
                columns: table => new
                {
                    MessageId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Provider = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    PhoneNumber = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    TemplateCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ProviderMessageId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    LastErrorCode = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    FirstAttemptAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastAttemptAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_sms_send", x => x.MessageId);
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
                    Active = table.Column<bool>(type: "INTEGER", nullable: false),
                    Phone = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Email = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true)
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
                name: "cw_survey_invitation",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ComplaintId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ProcessInstanceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Phone = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    AnsweredAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AnswerChannel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_survey_invitation", x => x.Id);
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
                name: "IX_cw_attachment_ComplaintId_Sha256",
                table: "cw_attachment",
                columns: new[] { "ComplaintId", "Sha256" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cw_attachment_ComplaintId_UploadedAt",
                table: "cw_attachment",
                columns: new[] { "ComplaintId", "UploadedAt" });

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
                name: "IX_cw_case_library_ComplaintId",
                table: "cw_case_library",
                column: "ComplaintId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cw_case_library_Month_PublishedAt",
                table: "cw_case_library",
                columns: new[] { "Month", "PublishedAt" });

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
                name: "IX_cw_notification_ComplaintId",
                table: "cw_notification",
                column: "ComplaintId");

            migrationBuilder.CreateIndex(
                name: "IX_cw_notification_Key",
                table: "cw_notification",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cw_notification_MessageId",
                table: "cw_notification",
                column: "MessageId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cw_notification_ProviderMessageId",
                table: "cw_notification",
                column: "ProviderMessageId");

            migrationBuilder.CreateIndex(
                name: "IX_cw_notification_Status_NextAttemptAt",
                table: "cw_notification",
                columns: new[] { "Status", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_cw_platform_operator_PlatformName",
                table: "cw_platform_operator",
                column: "PlatformName",
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

            migrationBuilder.CreateIndex(
                name: "IX_cw_sms_receipt_OutId",
                table: "cw_sms_receipt",
                column: "OutId");

            migrationBuilder.CreateIndex(
                name: "IX_cw_sms_receipt_Provider_BizId_PhoneNumber",
                table: "cw_sms_receipt",
                columns: new[] { "Provider", "BizId", "PhoneNumber" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cw_sms_reply_PhoneNumber",
                table: "cw_sms_reply",
                column: "PhoneNumber");

            migrationBuilder.CreateIndex(
                name: "IX_cw_sms_reply_Provider_ExternalId",
                table: "cw_sms_reply",
                columns: new[] { "Provider", "ExternalId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cw_sms_reply_Status",
                table: "cw_sms_reply",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_cw_sms_send_PhoneNumber_TemplateCode_SentAt",
                table: "cw_sms_send",
                columns: new[] { "PhoneNumber", "TemplateCode", "SentAt" });

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
                name: "IX_cw_survey_invitation_ComplaintId",
                table: "cw_survey_invitation",
                column: "ComplaintId");

            migrationBuilder.CreateIndex(
                name: "IX_cw_survey_invitation_Phone_Status",
                table: "cw_survey_invitation",
                columns: new[] { "Phone", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_cw_unit_ParentUnitId",
                table: "cw_unit",
                column: "ParentUnitId");

            // Not in the model: the triggers on cw_complaint that keep each handler's open complaints in cw_handler_load.
            migrationBuilder.Sql(Organisation.HandlerLoadTriggers.SqliteCreate);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Organisation.HandlerLoadTriggers.SqliteDrop);

            migrationBuilder.DropTable(
                name: "cw_absence");

            migrationBuilder.DropTable(
                name: "cw_archive");

            migrationBuilder.DropTable(
                name: "cw_attachment");

            migrationBuilder.DropTable(
                name: "cw_calendar_day");

            migrationBuilder.DropTable(
                name: "cw_case");

            migrationBuilder.DropTable(
                name: "cw_case_library");

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
                name: "cw_handler_load");

            migrationBuilder.DropTable(
                name: "cw_industry_regulator");

            migrationBuilder.DropTable(
                name: "cw_notification");

            migrationBuilder.DropTable(
                name: "cw_notification_template");

            migrationBuilder.DropTable(
                name: "cw_platform_operator");

            migrationBuilder.DropTable(
                name: "cw_process_draft");

            migrationBuilder.DropTable(
                name: "cw_process_form");

            migrationBuilder.DropTable(
                name: "cw_risk_notice");

            migrationBuilder.DropTable(
                name: "cw_risk_notice_template");

            migrationBuilder.DropTable(
                name: "cw_roster_reminder");

            migrationBuilder.DropTable(
                name: "cw_secret");

            migrationBuilder.DropTable(
                name: "cw_sms_receipt");

            migrationBuilder.DropTable(
                name: "cw_sms_reply");

            migrationBuilder.DropTable(
                name: "cw_sms_send");

            migrationBuilder.DropTable(
                name: "cw_staff");

            migrationBuilder.DropTable(
                name: "cw_survey_answer");

            migrationBuilder.DropTable(
                name: "cw_survey_invitation");

            migrationBuilder.DropTable(
                name: "cw_unit");

            migrationBuilder.DropTable(
                name: "cw_calendar_year");
        }
    }
}
