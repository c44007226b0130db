using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jisr.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TaxiiSyncPositions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "TaxiiSyncPositions",
                columns: table => new
                {
                    AgencyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Collection = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    AddedAfter = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Next = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    LatestAdded = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    ObjectsPulled = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TaxiiSyncPositions", x => new { x.AgencyId, x.Source, x.Collection });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TaxiiSyncPositions");
        }
    }
}
