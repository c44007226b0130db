using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jisr.Storage.Migrations.Postgres
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
                    AgencyId = table.Column<Guid>(type: "uuid", nullable: false),
                    Source = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Collection = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    AddedAfter = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    Next = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    LatestAdded = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    ObjectsPulled = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
