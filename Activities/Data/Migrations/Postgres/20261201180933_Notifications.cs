using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ComplaintWorkflows.Activities.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Notifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Email",
                table: "cw_staff",
                type: "character varying(254)",
                maxLength: 254,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Phone",
                table: "cw_staff",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NotifyBy",
                table: "cw_complaint",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "cw_notification",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    MessageId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Template = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Channel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Recipient = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    RecipientUserName = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Text = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    Subject = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    HtmlBody = table.Column<string>(type: "character varying(32000)", maxLength: 32000, nullable: true),
                    SmsTemplateCodes = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    Values = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    Status = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    NextAttemptAt = table.Column<long>(type: "bigint", nullable: false),
                    LockOwner = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    LockExpiresAt = table.Column<long>(type: "bigint", nullable: true),
                    ProviderMessageId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    Provider = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    ErrorCode = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    ErrorMessage = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    ComplaintId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ProcessInstanceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Drill = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false),
                    SentAt = table.Column<long>(type: "bigint", nullable: true),
                    DeliveredAt = table.Column<long>(type: "bigint", nullable: true),
                    FailureInstanceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_notification", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cw_notification_template",
                columns: table => new
                {
                    Key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Description = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Placeholders = table.Column<List<string>>(type: "text[]", nullable: false),
                    SmsText = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    SmsTemplateCodes = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    EmailSubject = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    EmailHtml = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    EmailText = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    BuiltIn = table.Column<bool>(type: "boolean", nullable: false),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_notification_template", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "cw_secret",
                columns: table => new
                {
                    Name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Value = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_secret", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "cw_survey_invitation",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ComplaintId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ProcessInstanceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Channel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Phone = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    ExpiresAt = table.Column<long>(type: "bigint", nullable: false),
                    AnsweredAt = table.Column<long>(type: "bigint", nullable: true),
                    AnswerChannel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    ClosedAt = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_survey_invitation", x => x.Id);
                });

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
                name: "IX_cw_survey_invitation_ComplaintId",
                table: "cw_survey_invitation",
                column: "ComplaintId");

            migrationBuilder.CreateIndex(
                name: "IX_cw_survey_invitation_Phone_Status",
                table: "cw_survey_invitation",
                columns: new[] { "Phone", "Status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "cw_notification");

            migrationBuilder.DropTable(
                name: "cw_notification_template");

            migrationBuilder.DropTable(
                name: "cw_secret");

            migrationBuilder.DropTable(
                name: "cw_survey_invitation");

            migrationBuilder.DropColumn(
                name: "Email",
                table: "cw_staff");

            migrationBuilder.DropColumn(
                name: "Phone",
                table: "cw_staff");

            migrationBuilder.DropColumn(
                name: "NotifyBy",
                table: "cw_complaint");
        }
    }
}
