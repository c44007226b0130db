using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jisr.Storage.Migrations.Sqlite
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
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<long>(
                name: "LastReceivedAt",
                table: "HitNotices",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_HitNotices_AgreementId_RequesterAgencyId_OwnerAgencyId_ReceivedAt",
                table: "HitNotices",
                columns: new[] { "AgreementId", "RequesterAgencyId", "OwnerAgencyId", "ReceivedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_HitNotices_AgreementId_RequesterAgencyId_OwnerAgencyId_ReceivedAt",
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
