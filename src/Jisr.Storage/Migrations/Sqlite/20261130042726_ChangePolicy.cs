using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jisr.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ChangePolicy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "RecordVersion",
                table: "Releases",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "PeakClassification",
                table: "Records",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "PeakTlp",
                table: "Records",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "Records",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            // Existing records start their peak at their present marking.
            migrationBuilder.Sql("UPDATE \"Records\" SET \"PeakClassification\" = \"Classification\", \"PeakTlp\" = \"Tlp\";");

            migrationBuilder.CreateTable(
                name: "Declassifications",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RecordId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AgencyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RequestedBy = table.Column<Guid>(type: "TEXT", nullable: false),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RecordVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    WidensRecipients = table.Column<bool>(type: "INTEGER", nullable: false),
                    ProposedChange = table.Column<string>(type: "TEXT", maxLength: 400000, nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    DecidedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DecisionReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    CurrentClassification = table.Column<int>(type: "INTEGER", nullable: false),
                    CurrentHandling = table.Column<int>(type: "INTEGER", nullable: false),
                    CurrentHandlingNote = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    CurrentTlp = table.Column<int>(type: "INTEGER", nullable: false),
                    ProposedClassification = table.Column<int>(type: "INTEGER", nullable: false),
                    ProposedHandling = table.Column<int>(type: "INTEGER", nullable: false),
                    ProposedHandlingNote = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    ProposedTlp = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Declassifications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Declassifications_Agencies_AgencyId",
                        column: x => x.AgencyId,
                        principalTable: "Agencies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Declassifications_AgencyId_Status",
                table: "Declassifications",
                columns: new[] { "AgencyId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Declassifications_RecordId",
                table: "Declassifications",
                column: "RecordId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Declassifications");

            migrationBuilder.DropColumn(
                name: "RecordVersion",
                table: "Releases");

            migrationBuilder.DropColumn(
                name: "PeakClassification",
                table: "Records");

            migrationBuilder.DropColumn(
                name: "PeakTlp",
                table: "Records");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "Records");
        }
    }
}
