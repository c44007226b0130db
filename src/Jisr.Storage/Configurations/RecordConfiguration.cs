namespace Jisr.Storage.Configurations;

internal sealed class RecordConfiguration : IEntityTypeConfiguration<Record>
{
    /// <summary>Surrogate integer key: compact, insertion-ordered (cursor paging), the rowid on SQLite.</summary>
    public const string SequenceColumn = "Sequence";

    public void Configure(EntityTypeBuilder<Record> builder)
    {
        builder.ToTable("Records");
        builder.Property<long>(SequenceColumn).ValueGeneratedOnAdd();
        builder.HasKey(SequenceColumn);
        builder.HasAlternateKey(r => r.Id);
        builder.Property(r => r.Title).HasMaxLength(Record.MaxTitleLength);
        builder.Property(r => r.Language).HasMaxLength(8);
        builder.Property(r => r.LegalBasis).HasMaxLength(500);
        builder.Property(r => r.Purpose).HasMaxLength(500);
        builder.Property(r => r.SourceGrading)
            .HasConversion(g => g.ToString(), s => SourceGrading.Parse(s, "sourceGrading"))
            .HasMaxLength(2);
        builder.ComplexProperty(r => r.Marking, marking =>
        {
            marking.Property(m => m.Classification).HasColumnName("Classification");
            marking.Property(m => m.Tlp).HasColumnName("Tlp");
            marking.Property(m => m.Handling).HasColumnName("Handling");
            marking.Property(m => m.HandlingNote).HasColumnName("HandlingNote").HasMaxLength(Marking.MaxHandlingNoteLength);
        });
        // A change is saved only over the version it was made on (a lost race is a 409); approvals bind to it too.
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.Property(r => r.ThreatDomains).StoredAsThreatDomainNames();
        builder.Property<string>(JisrDbContext.SearchTextColumn).IsRequired();
        builder.HasMany(r => r.Mentions).WithOne().HasForeignKey(m => m.RecordId).HasPrincipalKey(r => r.Id).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(r => r.Links).WithOne().HasForeignKey(l => l.RecordId).HasPrincipalKey(r => r.Id).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(r => r.Mentions).HasField("_mentions").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Navigation(r => r.Links).HasField("_links").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasMany(r => r.Recipients).WithOne().HasForeignKey(x => x.RecordId).HasPrincipalKey(r => r.Id).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(r => r.Recipients).HasField("_recipients").UsePropertyAccessMode(PropertyAccessMode.Field);
        // Provenance is read with the copy and never searched on (the Releases table answers "where did this go"),
        // so it is one JSON column: null for an agency's own records.
        builder.Property(r => r.Provenance).HasConversion(JsonConversions.Provenance).HasMaxLength(1000);
        builder.HasOne(r => r.ReleasedUnder).WithMany().HasForeignKey(r => r.ReleasedUnderAgreementId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => new { r.HolderAgencyId, r.CreatedAt });

        // Lists and searches read an agency's records newest first (by sequence, the keyset): this index gives that
        // order, so the engine walks it backwards and checks the rest of the read rule row by row until the page is
        // full, instead of filtering and sorting every record the agency holds.
        builder.HasIndex(nameof(Record.HolderAgencyId), SequenceColumn);
        builder.HasIndex(r => r.RetentionUntil);
        builder.HasIndex(r => r.ReviewDate);
    }
}

internal sealed class RecordMentionConfiguration : IEntityTypeConfiguration<RecordMention>
{
    public void Configure(EntityTypeBuilder<RecordMention> builder)
    {
        builder.ToTable("RecordEntities");
        builder.HasKey(m => new { m.RecordId, m.EntityId });
        builder.HasOne<Entity>().WithMany().HasForeignKey(m => m.EntityId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(m => m.EntityId);
    }
}

internal sealed class RecordRecipientConfiguration : IEntityTypeConfiguration<RecordRecipient>
{
    public void Configure(EntityTypeBuilder<RecordRecipient> builder)
    {
        builder.ToTable("RecordRecipients");
        builder.HasKey(x => new { x.RecordId, x.UserId });
        builder.HasOne<Accounts.JisrUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(x => x.UserId);
    }
}

internal sealed class LinkConfiguration : IEntityTypeConfiguration<Link>
{
    public void Configure(EntityTypeBuilder<Link> builder)
    {
        builder.ToTable("Links");
        builder.HasKey(l => l.Id);
        builder.Property(l => l.Id).ValueGeneratedNever(); // ids come from the domain; a new link is an insert, never an update
        builder.HasOne<Entity>().WithMany().HasForeignKey(l => l.FromEntityId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Entity>().WithMany().HasForeignKey(l => l.ToEntityId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(l => l.ValidFrom).HasConversion(JsonConversions.PartialDates).HasMaxLength(10);
        builder.Property(l => l.ValidTo).HasConversion(JsonConversions.PartialDates).HasMaxLength(10);
        builder.HasIndex(l => l.RecordId);
        builder.HasIndex(l => l.FromEntityId);
        builder.HasIndex(l => l.ToEntityId);
    }
}
