using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jisr.Storage.Migrations.Sqlite
{
    /// <summary>
    /// The word list of full-text search (SearchWords and its FTS5 index SearchWordIndex), filled from the records
    /// already indexed, and the search triggers again, which now keep it too. SQL only: the model does not change.
    /// </summary>
    public partial class SearchWords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            SqliteSearchSchema.CreateWords(migrationBuilder);
            SqliteSearchSchema.CreateTriggers(migrationBuilder, keepWords: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            SqliteSearchSchema.DropWords(migrationBuilder);
        }
    }
}
