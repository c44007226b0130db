using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jisr.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Agreements : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SharingAgreements",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ProposerAgencyId = table.Column<Guid>(type: "uuid", nullable: false),
                    PartnerAgencyId = table.Column<Guid>(type: "uuid", nullable: false),
                    ThreatDomains = table.Column<string>(type: "text", nullable: false),
                    HighestClassification = table.Column<int>(type: "integer", nullable: false),
                    HandlingCodes = table.Column<string>(type: "text", nullable: false),
                    ValidFrom = table.Column<DateOnly>(type: "date", nullable: false),
                    ValidUntil = table.Column<DateOnly>(type: "date", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    ProposedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    ProposedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    AcceptedBy = table.Column<Guid>(type: "uuid", nullable: true),
                    AcceptedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    StatusChangedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    StatusReason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SharingAgreements", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SharingAgreements_Agencies_PartnerAgencyId",
                        column: x => x.PartnerAgencyId,
                        principalTable: "Agencies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SharingAgreements_Agencies_ProposerAgencyId",
                        column: x => x.ProposerAgencyId,
                        principalTable: "Agencies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SharingAgreements_PartnerAgencyId",
                table: "SharingAgreements",
                column: "PartnerAgencyId");

            migrationBuilder.CreateIndex(
                name: "IX_SharingAgreements_ProposerAgencyId",
                table: "SharingAgreements",
                column: "ProposerAgencyId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SharingAgreements");
        }
    }
}
