namespace Jisr.Storage.Configurations;

/// <summary>
/// Persons by creation time: the node's person name index asks every second for the latest person stored (another
/// process may have written one), which without this index read the whole table (a tenth of a CPU-second over a
/// million persons). A partial index on the creation time alone: an index led by the entity kind made SQLite walk
/// every person for the person-match read (whose <c>EntityType = 'person'</c> then looked like a selective key).
/// </summary>
internal sealed class PersonsCreatedIndexConfiguration : IEntityTypeConfiguration<Entity>
{
    public const string Name = "IX_Entities_PersonsCreatedAt";

    public void Configure(EntityTypeBuilder<Entity> builder) =>
        builder.HasIndex(e => e.CreatedAt, Name).HasFilter("\"EntityType\" = 'person'");
}
