using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplaintWorkflows.Activities.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class EncryptPersonalData : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_cw_survey_invitation_Phone_Status",
                table: "cw_survey_invitation");

            migrationBuilder.DropIndex(
                name: "IX_cw_sms_send_PhoneNumber_TemplateCode_SentAt",
                table: "cw_sms_send");

            migrationBuilder.DropIndex(
                name: "IX_cw_sms_reply_PhoneNumber",
                table: "cw_sms_reply");

            migrationBuilder.DropIndex(
                name: "IX_cw_sms_receipt_Provider_BizId_PhoneNumber",
                table: "cw_sms_receipt");

            migrationBuilder.DropIndex(
                name: "IX_cw_complaint_ConsumerPhone",
                table: "cw_complaint");

            migrationBuilder.AddColumn<string>(
                name: "PhoneKey",
                table: "cw_survey_invitation",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PhoneNumberKey",
                table: "cw_sms_send",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "PhoneNumberKey",
                table: "cw_sms_reply",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "PhoneNumberKey",
                table: "cw_sms_receipt",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ConsumerPhoneKey",
                table: "cw_complaint",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            // Rows from before encryption keep their number in clear until the host's start-up step encrypts it and
            // writes its hash (PersonalDataMigration.EncryptClearRowsAsync); until then the key is a placeholder that
            // is unique where the number was (a receipt's identity), never a hash.
            foreach (var (table, key, phone) in new[]
            {
                ("cw_complaint", "ConsumerPhoneKey", "ConsumerPhone"), ("cw_survey_invitation", "PhoneKey", "Phone"),
                ("cw_sms_send", "PhoneNumberKey", "PhoneNumber"), ("cw_sms_reply", "PhoneNumberKey", "PhoneNumber"),
                ("cw_sms_receipt", "PhoneNumberKey", "PhoneNumber"),
            })
            {
                migrationBuilder.Sql($"UPDATE \"{table}\" SET \"{key}\" = 'clear:' || \"{phone}\" WHERE \"{phone}\" IS NOT NULL");
            }

            migrationBuilder.CreateIndex(
                name: "IX_cw_survey_invitation_PhoneKey_Status",
                table: "cw_survey_invitation",
                columns: new[] { "PhoneKey", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_cw_sms_send_PhoneNumberKey_TemplateCode_SentAt",
                table: "cw_sms_send",
                columns: new[] { "PhoneNumberKey", "TemplateCode", "SentAt" });

            migrationBuilder.CreateIndex(
                name: "IX_cw_sms_reply_PhoneNumberKey",
                table: "cw_sms_reply",
                column: "PhoneNumberKey");

            migrationBuilder.CreateIndex(
                name: "IX_cw_sms_receipt_Provider_BizId_PhoneNumberKey",
                table: "cw_sms_receipt",
                columns: new[] { "Provider", "BizId", "PhoneNumberKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cw_complaint_ConsumerPhoneKey",
                table: "cw_complaint",
                column: "ConsumerPhoneKey");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_cw_survey_invitation_PhoneKey_Status",
                table: "cw_survey_invitation");

            migrationBuilder.DropIndex(
                name: "IX_cw_sms_send_PhoneNumberKey_TemplateCode_SentAt",
                table: "cw_sms_send");

            migrationBuilder.DropIndex(
                name: "IX_cw_sms_reply_PhoneNumberKey",
                table: "cw_sms_reply");

            migrationBuilder.DropIndex(
                name: "IX_cw_sms_receipt_Provider_BizId_PhoneNumberKey",
                table: "cw_sms_receipt");

            migrationBuilder.DropIndex(
                name: "IX_cw_complaint_ConsumerPhoneKey",
                table: "cw_complaint");

            migrationBuilder.DropColumn(
                name: "PhoneKey",
                table: "cw_survey_invitation");

            migrationBuilder.DropColumn(
                name: "PhoneNumberKey",
                table: "cw_sms_send");

            migrationBuilder.DropColumn(
                name: "PhoneNumberKey",
                table: "cw_sms_reply");

            migrationBuilder.DropColumn(
                name: "PhoneNumberKey",
                table: "cw_sms_receipt");

            migrationBuilder.DropColumn(
                name: "ConsumerPhoneKey",
                table: "cw_complaint");

            migrationBuilder.CreateIndex(
                name: "IX_cw_survey_invitation_Phone_Status",
                table: "cw_survey_invitation",
                columns: new[] { "Phone", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_cw_sms_send_PhoneNumber_TemplateCode_SentAt",
                table: "cw_sms_send",
                columns: new[] { "PhoneNumber", "TemplateCode", "SentAt" });

            migrationBuilder.CreateIndex(
                name: "IX_cw_sms_reply_PhoneNumber",
                table: "cw_sms_reply",
                column: "PhoneNumber");

            migrationBuilder.CreateIndex(
                name: "IX_cw_sms_receipt_Provider_BizId_PhoneNumber",
                table: "cw_sms_receipt",
                columns: new[] { "Provider", "BizId", "PhoneNumber" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cw_complaint_ConsumerPhone",
                table: "cw_complaint",
                column: "ConsumerPhone");
        }
    }
}
