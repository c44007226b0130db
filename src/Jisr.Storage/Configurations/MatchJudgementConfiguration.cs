namespace Jisr.Storage.Configurations;

/// <summary>
/// Judgements on pairs of persons: one row per agency and pair (the unique index is what turns two analysts' first
/// judgements of one pair at the same moment into one stored judgement and a 409), entity ids without foreign keys so
/// a judgement outlives a purge of its records as history.
/// </summary>
internal sealed class MatchJudgementConfiguration : IEntityTypeConfiguration<MatchJudgement>
{
    public void Configure(EntityTypeBuilder<MatchJudgement> builder)
    {
        builder.ToTable("MatchJudgements");
        builder.HasKey(j => j.Id);
        builder.Property(j => j.Id).ValueGeneratedNever();
        builder.HasOne<Agency>().WithMany().HasForeignKey(j => j.AgencyId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(j => j.Note).HasMaxLength(MatchJudgement.MaxNoteLength);
        builder.Property(j => j.Version).IsConcurrencyToken();
        builder.HasIndex(j => new { j.AgencyId, j.FirstEntityId, j.SecondEntityId }).IsUnique();
        builder.HasIndex(j => j.SecondEntityId);
    }
}
