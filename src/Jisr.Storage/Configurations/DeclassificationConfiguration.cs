namespace Jisr.Storage.Configurations;

/// <summary>
/// Declassification requests keep their record's id without a foreign key, like releases: they are the history of
/// who lowered what, and outlive the record.
/// </summary>
internal sealed class DeclassificationConfiguration : IEntityTypeConfiguration<Declassification>
{
    public void Configure(EntityTypeBuilder<Declassification> builder)
    {
        builder.ToTable("Declassifications");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.HasOne<Agency>().WithMany().HasForeignKey(d => d.AgencyId).OnDelete(DeleteBehavior.Restrict);
        Markings(builder, d => d.CurrentMarking, "Current");
        Markings(builder, d => d.ProposedMarking, "Proposed");
        builder.Property(d => d.ProposedChange).HasMaxLength(Declassification.MaxProposedChangeLength);
        builder.Property(d => d.DecisionReason).HasMaxLength(Declassification.MaxReasonLength);

        // Two reviewers acting at once: the second finds the status changed and fails instead of applying twice.
        builder.Property(d => d.Status).IsConcurrencyToken();
        builder.HasIndex(d => new { d.AgencyId, d.Status });
        builder.HasIndex(d => d.RecordId);
    }

    private static void Markings(EntityTypeBuilder<Declassification> builder, System.Linq.Expressions.Expression<Func<Declassification, Marking?>> marking, string prefix) =>
        builder.ComplexProperty(marking, m =>
        {
            m.Property(x => x.Classification).HasColumnName($"{prefix}Classification");
            m.Property(x => x.Tlp).HasColumnName($"{prefix}Tlp");
            m.Property(x => x.Handling).HasColumnName($"{prefix}Handling");
            m.Property(x => x.HandlingNote).HasColumnName($"{prefix}HandlingNote").HasMaxLength(Marking.MaxHandlingNoteLength);
        });
}
