using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jisr.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Releases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Records_OriginatorAgencyId_CreatedAt",
                table: "Records");

            migrationBuilder.AddColumn<Guid>(
                name: "HolderAgencyId",
                table: "Records",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            // Every record stored before releases existed is held by its originator.
            migrationBuilder.Sql("UPDATE \"Records\" SET \"HolderAgencyId\" = \"OriginatorAgencyId\";");

            migrationBuilder.AddColumn<string>(
                name: "Provenance",
                table: "Records",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ReleasedUnderAgreementId",
                table: "Records",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ConsentRequests",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RecordId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OriginalRecordId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OriginatorAgencyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RequesterAgencyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TargetAgencyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RequestedBy = table.Column<Guid>(type: "TEXT", nullable: false),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    DecidedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DecisionReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConsentRequests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ConsentRequests_Agencies_OriginatorAgencyId",
                        column: x => x.OriginatorAgencyId,
                        principalTable: "Agencies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ConsentRequests_Agencies_RequesterAgencyId",
                        column: x => x.RequesterAgencyId,
                        principalTable: "Agencies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ConsentRequests_Agencies_TargetAgencyId",
                        column: x => x.TargetAgencyId,
                        principalTable: "Agencies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Releases",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RecordId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReleasingAgencyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RecipientAgencyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AgreementId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RequestedBy = table.Column<Guid>(type: "TEXT", nullable: false),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    RequiresApproval = table.Column<bool>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    DecidedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DecisionReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    CopyRecordId = table.Column<Guid>(type: "TEXT", nullable: true),
                    RecipientUserIds = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Releases", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Releases_Agencies_RecipientAgencyId",
                        column: x => x.RecipientAgencyId,
                        principalTable: "Agencies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Releases_Agencies_ReleasingAgencyId",
                        column: x => x.ReleasingAgencyId,
                        principalTable: "Agencies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Releases_SharingAgreements_AgreementId",
                        column: x => x.AgreementId,
                        principalTable: "SharingAgreements",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Records_HolderAgencyId_CreatedAt",
                table: "Records",
                columns: new[] { "HolderAgencyId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Records_ReleasedUnderAgreementId",
                table: "Records",
                column: "ReleasedUnderAgreementId");

            migrationBuilder.CreateIndex(
                name: "IX_ConsentRequests_OriginatorAgencyId",
                table: "ConsentRequests",
                column: "OriginatorAgencyId");

            migrationBuilder.CreateIndex(
                name: "IX_ConsentRequests_RecordId_TargetAgencyId",
                table: "ConsentRequests",
                columns: new[] { "RecordId", "TargetAgencyId" });

            migrationBuilder.CreateIndex(
                name: "IX_ConsentRequests_RequesterAgencyId",
                table: "ConsentRequests",
                column: "RequesterAgencyId");

            migrationBuilder.CreateIndex(
                name: "IX_ConsentRequests_TargetAgencyId",
                table: "ConsentRequests",
                column: "TargetAgencyId");

            migrationBuilder.CreateIndex(
                name: "IX_Releases_AgreementId",
                table: "Releases",
                column: "AgreementId");

            migrationBuilder.CreateIndex(
                name: "IX_Releases_RecipientAgencyId",
                table: "Releases",
                column: "RecipientAgencyId");

            migrationBuilder.CreateIndex(
                name: "IX_Releases_RecordId",
                table: "Releases",
                column: "RecordId");

            migrationBuilder.CreateIndex(
                name: "IX_Releases_ReleasingAgencyId_Status",
                table: "Releases",
                columns: new[] { "ReleasingAgencyId", "Status" });

            migrationBuilder.AddForeignKey(
                name: "FK_Records_SharingAgreements_ReleasedUnderAgreementId",
                table: "Records",
                column: "ReleasedUnderAgreementId",
                principalTable: "SharingAgreements",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Records_SharingAgreements_ReleasedUnderAgreementId",
                table: "Records");

            migrationBuilder.DropTable(
                name: "ConsentRequests");

            migrationBuilder.DropTable(
                name: "Releases");

            migrationBuilder.DropIndex(
                name: "IX_Records_HolderAgencyId_CreatedAt",
                table: "Records");

            migrationBuilder.DropIndex(
                name: "IX_Records_ReleasedUnderAgreementId",
                table: "Records");

            migrationBuilder.DropColumn(
                name: "HolderAgencyId",
                table: "Records");

            migrationBuilder.DropColumn(
                name: "Provenance",
                table: "Records");

            migrationBuilder.DropColumn(
                name: "ReleasedUnderAgreementId",
                table: "Records");

            migrationBuilder.CreateIndex(
                name: "IX_Records_OriginatorAgencyId_CreatedAt",
                table: "Records",
                columns: new[] { "OriginatorAgencyId", "CreatedAt" });
        }
    }
}
