namespace Jisr.Storage.Configurations;

/// <summary>
/// Releases and consent requests keep the record ids they concern without a foreign key: they are the history of
/// what left the agency and why, and must outlive the records (deleted on review, purged at retention end).
/// </summary>
internal sealed class ReleaseConfiguration : IEntityTypeConfiguration<Release>
{
    public void Configure(EntityTypeBuilder<Release> builder)
    {
        builder.ToTable("Releases");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.HasOne<Agency>().WithMany().HasForeignKey(r => r.ReleasingAgencyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Agency>().WithMany().HasForeignKey(r => r.RecipientAgencyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<SharingAgreement>().WithMany().HasForeignKey(r => r.AgreementId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(r => r.Note).HasMaxLength(Release.MaxNoteLength);
        builder.Property(r => r.DecisionReason).HasMaxLength(Release.MaxNoteLength);
        builder.Property(r => r.RecallReason).HasMaxLength(Release.MaxNoteLength);

        // Two approvers acting at once: the second update finds the status changed and fails instead of releasing twice.
        builder.Property(r => r.Status).IsConcurrencyToken();
        builder.Property(r => r.RecipientUserIds)
            .HasField("_recipientUserIds")
            .UsePropertyAccessMode(PropertyAccessMode.Field)
            .HasConversion(JsonConversions.UserIdList, JsonConversions.ListComparer<UserId>());
        builder.HasIndex(r => new { r.ReleasingAgencyId, r.Status });

        // One open release per record and recipient: two requests racing past the "already released" check cannot
        // both go in (a refused or recalled one may be asked again).
        builder.HasIndex(r => new { r.RecordId, r.RecipientAgencyId }).IsUnique()
            .HasFilter($"\"Status\" NOT IN ({(int)ReleaseStatus.Refused}, {(int)ReleaseStatus.Recalled})");
    }
}

internal sealed class ConsentRequestConfiguration : IEntityTypeConfiguration<ConsentRequest>
{
    public void Configure(EntityTypeBuilder<ConsentRequest> builder)
    {
        builder.ToTable("ConsentRequests");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.HasOne<Agency>().WithMany().HasForeignKey(c => c.OriginatorAgencyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Agency>().WithMany().HasForeignKey(c => c.RequesterAgencyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Agency>().WithMany().HasForeignKey(c => c.TargetAgencyId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(c => c.Note).HasMaxLength(ConsentRequest.MaxTextLength);
        builder.Property(c => c.DecisionReason).HasMaxLength(ConsentRequest.MaxTextLength);
        builder.Property(c => c.Status).IsConcurrencyToken();
        builder.HasIndex(c => new { c.RecordId, c.TargetAgencyId }).IsUnique()
            .HasFilter($"\"Status\" <> {(int)ConsentStatus.Refused}");
        builder.HasIndex(c => c.OriginatorAgencyId);
        builder.HasIndex(c => c.RequesterAgencyId);
    }
}
