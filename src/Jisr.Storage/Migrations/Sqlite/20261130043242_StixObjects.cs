using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jisr.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class StixObjects : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "StixObjects",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AgencyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    StixId = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 250, nullable: false),
                    Modified = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Json = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedByRef = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    Source = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    RecordId = table.Column<Guid>(type: "TEXT", nullable: true),
                    EntityId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StixObjects", x => x.Sequence);
                    table.ForeignKey(
                        name: "FK_StixObjects_Agencies_AgencyId",
                        column: x => x.AgencyId,
                        principalTable: "Agencies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_StixObjects_Entities_EntityId",
                        column: x => x.EntityId,
                        principalTable: "Entities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_StixObjects_Records_RecordId",
                        column: x => x.RecordId,
                        principalTable: "Records",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_StixObjects_AgencyId_StixId",
                table: "StixObjects",
                columns: new[] { "AgencyId", "StixId" });

            migrationBuilder.CreateIndex(
                name: "IX_StixObjects_EntityId",
                table: "StixObjects",
                column: "EntityId");

            migrationBuilder.CreateIndex(
                name: "IX_StixObjects_RecordId",
                table: "StixObjects",
                column: "RecordId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "StixObjects");
        }
    }
}
