using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jisr.Storage.Migrations.Postgres
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
                    AgreementId = table.Column<Guid>(type: "uuid", nullable: false),
                    OwnerAgencyId = table.Column<Guid>(type: "uuid", nullable: false),
                    Epoch = table.Column<int>(type: "integer", nullable: false),
                    ContentDigest = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    KeyCount = table.Column<int>(type: "integer", nullable: false),
                    PublishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HitFiltersPublished", x => new { x.AgreementId, x.OwnerAgencyId });
                });

            migrationBuilder.CreateTable(
                name: "HitFiltersReceived",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    AgreementId = table.Column<Guid>(type: "uuid", nullable: false),
                    OwnerAgencyId = table.Column<Guid>(type: "uuid", nullable: false),
                    RecipientAgencyId = table.Column<Guid>(type: "uuid", nullable: false),
                    PeerId = table.Column<Guid>(type: "uuid", nullable: false),
                    Epoch = table.Column<int>(type: "integer", nullable: false),
                    Salt = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    Filter = table.Column<byte[]>(type: "bytea", nullable: false),
                    KeyCount = table.Column<int>(type: "integer", nullable: false),
                    BuiltAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    MessageId = table.Column<Guid>(type: "uuid", nullable: false)
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
