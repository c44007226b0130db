using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jisr.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ReleaseRecall : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Releases_RecordId_RecipientAgencyId",
                table: "Releases");

            migrationBuilder.AddColumn<string>(
                name: "RecallReason",
                table: "Releases",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RecalledAt",
                table: "Releases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "RecalledBy",
                table: "Releases",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Releases_RecordId_RecipientAgencyId",
                table: "Releases",
                columns: new[] { "RecordId", "RecipientAgencyId" },
                unique: true,
                filter: "\"Status\" NOT IN (2, 3)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Releases_RecordId_RecipientAgencyId",
                table: "Releases");

            migrationBuilder.DropColumn(
                name: "RecallReason",
                table: "Releases");

            migrationBuilder.DropColumn(
                name: "RecalledAt",
                table: "Releases");

            migrationBuilder.DropColumn(
                name: "RecalledBy",
                table: "Releases");

            migrationBuilder.CreateIndex(
                name: "IX_Releases_RecordId_RecipientAgencyId",
                table: "Releases",
                columns: new[] { "RecordId", "RecipientAgencyId" },
                unique: true,
                filter: "\"Status\" <> 2");
        }
    }
}
