using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ComplaintWorkflows.Activities.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SmsMessaging : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "cw_sms_receipt",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Provider = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    BizId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    PhoneNumber = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    OutId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    Success = table.Column<bool>(type: "boolean", nullable: false),
                    ErrorCode = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    ErrorMessage = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    SendTime = table.Column<long>(type: "bigint", nullable: true),
                    ReportTime = table.Column<long>(type: "bigint", nullable: true),
                    ReceivedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_sms_receipt", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cw_sms_reply",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Provider = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ExternalId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    PhoneNumber = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Content = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    SendTime = table.Column<long>(type: "bigint", nullable: true),
                    DestCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    SignName = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ReceivedAt = table.Column<long>(type: "bigint", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ComplaintId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Score = table.Column<int>(type: "integer", nullable: true),
                    Comment = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    ProcessedAt = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_sms_reply", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cw_sms_send",
                columns: table => new
                {
                    MessageId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Provider = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    PhoneNumber = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    TemplateCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ProviderMessageId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    LastErrorCode = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    FirstAttemptAt = table.Column<long>(type: "bigint", nullable: false),
                    LastAttemptAt = table.Column<long>(type: "bigint", nullable: false),
                    SentAt = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cw_sms_send", x => x.MessageId);
                });

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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "cw_sms_receipt");

            migrationBuilder.DropTable(
                name: "cw_sms_reply");

            migrationBuilder.DropTable(
                name: "cw_sms_send");
        }
    }
}
