using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplaintWorkflows.WorkflowHost.Identity.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OperationsHeartbeatAndSamples : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ops_host_heartbeat",
                columns: table => new
                {
                    HostName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    LastSeenAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    ProcessId = table.Column<int>(type: "INTEGER", nullable: false),
                    Version = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ops_host_heartbeat", x => x.HostName);
                });

            migrationBuilder.CreateTable(
                name: "ops_sample",
                columns: table => new
                {
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Value = table.Column<double>(type: "REAL", nullable: false),
                    HostName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ops_sample", x => new { x.At, x.Name });
                });

            migrationBuilder.CreateIndex(
                name: "IX_ops_sample_Name",
                table: "ops_sample",
                column: "Name");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ops_host_heartbeat");

            migrationBuilder.DropTable(
                name: "ops_sample");
        }
    }
}
