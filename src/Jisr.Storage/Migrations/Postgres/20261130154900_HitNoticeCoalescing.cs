using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jisr.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class HitNoticeCoalescing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Hits",
                table: "HitNotices",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LastReceivedAt",
                table: "HitNotices",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_HitNotices_AgreementId_RequesterAgencyId_OwnerAgencyId_Rece~",
                table: "HitNotices",
                columns: new[] { "AgreementId", "RequesterAgencyId", "OwnerAgencyId", "ReceivedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_HitNotices_AgreementId_RequesterAgencyId_OwnerAgencyId_Rece~",
                table: "HitNotices");

            migrationBuilder.DropColumn(
                name: "Hits",
                table: "HitNotices");

            migrationBuilder.DropColumn(
                name: "LastReceivedAt",
                table: "HitNotices");
        }
    }
}
