using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jisr.Storage.Migrations.Sqlite
{
    /// <summary>
    /// The previous migration added a foreign key to Records, which SQLite does by rebuilding the table at the end of
    /// the migration; that drops the full-text search triggers, which are created again here.
    /// </summary>
    public partial class RestoreSearchTriggers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            SqliteSearchSchema.CreateTriggers(migrationBuilder, keepWords: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Reverting Releases rebuilds Records again; migrating up again restores the triggers.
        }
    }
}
