using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplaintWorkflows.Activities.Data.Migrations.Postgres
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

            migrationBuilder.AlterColumn<string>(
                name: "Phone",
                table: "cw_survey_invitation",
                type: "text",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(32)",
                oldMaxLength: 32,
                oldNullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PhoneKey",
                table: "cw_survey_invitation",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "PhoneNumber",
                table: "cw_sms_send",
                type: "text",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(32)",
                oldMaxLength: 32);

            migrationBuilder.AddColumn<string>(
                name: "PhoneNumberKey",
                table: "cw_sms_send",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AlterColumn<string>(
                name: "PhoneNumber",
                table: "cw_sms_reply",
                type: "text",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(32)",
                oldMaxLength: 32);

            migrationBuilder.AlterColumn<string>(
                name: "Content",
                table: "cw_sms_reply",
                type: "text",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(2000)",
                oldMaxLength: 2000);

            migrationBuilder.AddColumn<string>(
                name: "PhoneNumberKey",
                table: "cw_sms_reply",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AlterColumn<string>(
                name: "PhoneNumber",
                table: "cw_sms_receipt",
                type: "text",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(32)",
                oldMaxLength: 32);

            migrationBuilder.AddColumn<string>(
                name: "PhoneNumberKey",
                table: "cw_sms_receipt",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AlterColumn<string>(
                name: "Values",
                table: "cw_notification",
                type: "text",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(8000)",
                oldMaxLength: 8000);

            migrationBuilder.AlterColumn<string>(
                name: "Text",
                table: "cw_notification",
                type: "text",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(8000)",
                oldMaxLength: 8000);

            migrationBuilder.AlterColumn<string>(
                name: "Recipient",
                table: "cw_notification",
                type: "text",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(254)",
                oldMaxLength: 254);

            migrationBuilder.AlterColumn<string>(
                name: "HtmlBody",
                table: "cw_notification",
                type: "text",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(32000)",
                oldMaxLength: 32000,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "ConsumerPhone",
                table: "cw_complaint",
                type: "text",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(32)",
                oldMaxLength: 32);

            migrationBuilder.AlterColumn<string>(
                name: "ConsumerName",
                table: "cw_complaint",
                type: "text",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(100)",
                oldMaxLength: 100);

            migrationBuilder.AlterColumn<string>(
                name: "ConsumerEmail",
                table: "cw_complaint",
                type: "text",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(254)",
                oldMaxLength: 254,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "ConsumerAddress",
                table: "cw_complaint",
                type: "text",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(300)",
                oldMaxLength: 300,
                oldNullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ConsumerPhoneKey",
                table: "cw_complaint",
                type: "character varying(64)",
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

            migrationBuilder.AlterColumn<string>(
                name: "Phone",
                table: "cw_survey_invitation",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "text",
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "PhoneNumber",
                table: "cw_sms_send",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.AlterColumn<string>(
                name: "PhoneNumber",
                table: "cw_sms_reply",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.AlterColumn<string>(
                name: "Content",
                table: "cw_sms_reply",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.AlterColumn<string>(
                name: "PhoneNumber",
                table: "cw_sms_receipt",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.AlterColumn<string>(
                name: "Values",
                table: "cw_notification",
                type: "character varying(8000)",
                maxLength: 8000,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.AlterColumn<string>(
                name: "Text",
                table: "cw_notification",
                type: "character varying(8000)",
                maxLength: 8000,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.AlterColumn<string>(
                name: "Recipient",
                table: "cw_notification",
                type: "character varying(254)",
                maxLength: 254,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.AlterColumn<string>(
                name: "HtmlBody",
                table: "cw_notification",
                type: "character varying(32000)",
                maxLength: 32000,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "text",
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "ConsumerPhone",
                table: "cw_complaint",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.AlterColumn<string>(
                name: "ConsumerName",
                table: "cw_complaint",
                type: "character varying(100)",
                maxLength: 100,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.AlterColumn<string>(
                name: "ConsumerEmail",
                table: "cw_complaint",
                type: "character varying(254)",
                maxLength: 254,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "text",
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "ConsumerAddress",
                table: "cw_complaint",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "text",
                oldNullable: true);

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
