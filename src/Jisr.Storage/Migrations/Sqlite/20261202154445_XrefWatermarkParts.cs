using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jisr.Storage.Migrations.Sqlite
{
    /// <summary>
    /// A cross-reference's state in parts, one row each (<c>XrefWatermarks.Part</c>): a state kept as one value is the
    /// part 0 of itself, so the states already kept stay valid.
    /// </summary>
    public partial class XrefWatermarkParts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_XrefWatermarks",
                table: "XrefWatermarks");

            migrationBuilder.AddColumn<int>(
                name: "Part",
                table: "XrefWatermarks",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddPrimaryKey(
                name: "PK_XrefWatermarks",
                table: "XrefWatermarks",
                columns: new[] { "AgencyId", "Scope", "Part" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // A state in several parts has no one-value form: every state goes (the next run of each is a full one).
            migrationBuilder.Sql("DELETE FROM \"XrefWatermarks\"");

            migrationBuilder.DropPrimaryKey(
                name: "PK_XrefWatermarks",
                table: "XrefWatermarks");

            migrationBuilder.DropColumn(
                name: "Part",
                table: "XrefWatermarks");

            migrationBuilder.AddPrimaryKey(
                name: "PK_XrefWatermarks",
                table: "XrefWatermarks",
                columns: new[] { "AgencyId", "Scope" });
        }
    }
}
