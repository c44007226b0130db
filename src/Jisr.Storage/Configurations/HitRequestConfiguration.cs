namespace Jisr.Storage.Configurations;

internal sealed class HitRequestConfiguration : IEntityTypeConfiguration<HitRequest>
{
    public void Configure(EntityTypeBuilder<HitRequest> builder)
    {
        builder.ToTable("HitRequests");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.HasOne<Agency>().WithMany().HasForeignKey(r => r.RequesterAgencyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Agency>().WithMany().HasForeignKey(r => r.OwnerAgencyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<SharingAgreement>().WithMany().HasForeignKey(r => r.AgreementId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(r => r.RequestedByName).HasMaxLength(200);
        builder.Property(r => r.QueryKind).HasMaxLength(20);
        builder.Property(r => r.Query).HasMaxLength(500);
        builder.Property(r => r.HitParts).HasMaxLength(4000);
        builder.Property(r => r.Purpose).HasMaxLength(500);
        builder.Property(r => r.LegalBasis).HasMaxLength(500);
        builder.Property(r => r.DecidedByName).HasMaxLength(200);
        builder.Property(r => r.Reason).HasMaxLength(HitRequest.MaxTextLength);
        builder.Property(r => r.Status).IsConcurrencyToken();
        builder.Property(r => r.Reminders).IsConcurrencyToken();
        builder.HasIndex(r => new { r.OwnerAgencyId, r.RequestedAt });
        builder.HasIndex(r => new { r.RequesterAgencyId, r.RequestedAt });
        builder.HasIndex(r => new { r.AgreementId, r.RequesterAgencyId, r.RequestedAt });
        builder.HasIndex(r => r.ReleaseId);
    }
}
