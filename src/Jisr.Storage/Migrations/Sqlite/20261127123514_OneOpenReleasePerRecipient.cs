using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jisr.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OneOpenReleasePerRecipient : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Releases_RecordId",
                table: "Releases");

            migrationBuilder.DropIndex(
                name: "IX_ConsentRequests_RecordId_TargetAgencyId",
                table: "ConsentRequests");

            migrationBuilder.CreateIndex(
                name: "IX_Releases_RecordId_RecipientAgencyId",
                table: "Releases",
                columns: new[] { "RecordId", "RecipientAgencyId" },
                unique: true,
                filter: "\"Status\" <> 2");

            migrationBuilder.CreateIndex(
                name: "IX_ConsentRequests_RecordId_TargetAgencyId",
                table: "ConsentRequests",
                columns: new[] { "RecordId", "TargetAgencyId" },
                unique: true,
                filter: "\"Status\" <> 2");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Releases_RecordId_RecipientAgencyId",
                table: "Releases");

            migrationBuilder.DropIndex(
                name: "IX_ConsentRequests_RecordId_TargetAgencyId",
                table: "ConsentRequests");

            migrationBuilder.CreateIndex(
                name: "IX_Releases_RecordId",
                table: "Releases",
                column: "RecordId");

            migrationBuilder.CreateIndex(
                name: "IX_ConsentRequests_RecordId_TargetAgencyId",
                table: "ConsentRequests",
                columns: new[] { "RecordId", "TargetAgencyId" });
        }
    }
}
