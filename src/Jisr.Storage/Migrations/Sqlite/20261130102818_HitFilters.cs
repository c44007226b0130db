using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jisr.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class HitFilters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "HitFiltersPublished",
                columns: table => new
                {
                    AgreementId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OwnerAgencyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Epoch = table.Column<int>(type: "INTEGER", nullable: false),
                    ContentDigest = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    KeyCount = table.Column<int>(type: "INTEGER", nullable: false),
                    PublishedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HitFiltersPublished", x => new { x.AgreementId, x.OwnerAgencyId });
                });

            migrationBuilder.CreateTable(
                name: "HitFiltersReceived",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    AgreementId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OwnerAgencyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RecipientAgencyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PeerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Epoch = table.Column<int>(type: "INTEGER", nullable: false),
                    Salt = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    Filter = table.Column<byte[]>(type: "BLOB", nullable: false),
                    KeyCount = table.Column<int>(type: "INTEGER", nullable: false),
                    BuiltAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    MessageId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HitFiltersReceived", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_HitFiltersReceived_AgreementId_OwnerAgencyId",
                table: "HitFiltersReceived",
                columns: new[] { "AgreementId", "OwnerAgencyId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_HitFiltersReceived_RecipientAgencyId",
                table: "HitFiltersReceived",
                column: "RecipientAgencyId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "HitFiltersPublished");

            migrationBuilder.DropTable(
                name: "HitFiltersReceived");
        }
    }
}
