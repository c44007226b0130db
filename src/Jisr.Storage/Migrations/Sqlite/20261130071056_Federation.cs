using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jisr.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Federation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "FederationPeers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Url = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Fingerprint = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PublicKey = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    AddedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RevokedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastSequenceOut = table.Column<long>(type: "INTEGER", nullable: false),
                    LastSequenceIn = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FederationPeers", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "FederationInbox",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PeerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Envelope = table.Column<string>(type: "TEXT", nullable: false),
                    PayloadDigest = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Acknowledgement = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FederationInbox", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FederationInbox_FederationPeers_PeerId",
                        column: x => x.PeerId,
                        principalTable: "FederationPeers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "FederationOutbox",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PeerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Envelope = table.Column<string>(type: "TEXT", nullable: false),
                    PayloadDigest = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    DeliveredAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Acknowledgement = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FederationOutbox", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FederationOutbox_FederationPeers_PeerId",
                        column: x => x.PeerId,
                        principalTable: "FederationPeers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "FederationRemoteAgencies",
                columns: table => new
                {
                    AgencyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PeerId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FederationRemoteAgencies", x => x.AgencyId);
                    table.ForeignKey(
                        name: "FK_FederationRemoteAgencies_Agencies_AgencyId",
                        column: x => x.AgencyId,
                        principalTable: "Agencies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_FederationRemoteAgencies_FederationPeers_PeerId",
                        column: x => x.PeerId,
                        principalTable: "FederationPeers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_FederationInbox_PeerId_Sequence",
                table: "FederationInbox",
                columns: new[] { "PeerId", "Sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_FederationOutbox_PeerId_Sequence",
                table: "FederationOutbox",
                columns: new[] { "PeerId", "Sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_FederationOutbox_Status_NextAttemptAt",
                table: "FederationOutbox",
                columns: new[] { "Status", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_FederationPeers_Fingerprint",
                table: "FederationPeers",
                column: "Fingerprint",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_FederationRemoteAgencies_PeerId",
                table: "FederationRemoteAgencies",
                column: "PeerId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "FederationInbox");

            migrationBuilder.DropTable(
                name: "FederationOutbox");

            migrationBuilder.DropTable(
                name: "FederationRemoteAgencies");

            migrationBuilder.DropTable(
                name: "FederationPeers");
        }
    }
}
