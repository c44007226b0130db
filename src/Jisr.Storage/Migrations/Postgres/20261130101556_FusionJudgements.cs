using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jisr.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class FusionJudgements : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "MatchJudgements",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    AgencyId = table.Column<Guid>(type: "uuid", nullable: false),
                    FirstEntityId = table.Column<Guid>(type: "uuid", nullable: false),
                    SecondEntityId = table.Column<Guid>(type: "uuid", nullable: false),
                    Decision = table.Column<int>(type: "integer", nullable: false),
                    JudgedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    JudgedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Note = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MatchJudgements", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MatchJudgements_Agencies_AgencyId",
                        column: x => x.AgencyId,
                        principalTable: "Agencies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_MatchJudgements_AgencyId_FirstEntityId_SecondEntityId",
                table: "MatchJudgements",
                columns: new[] { "AgencyId", "FirstEntityId", "SecondEntityId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MatchJudgements_SecondEntityId",
                table: "MatchJudgements",
                column: "SecondEntityId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MatchJudgements");
        }
    }
}
