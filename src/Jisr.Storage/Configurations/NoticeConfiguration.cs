using Jisr.Domain.Notices;

namespace Jisr.Storage.Configurations;

internal sealed class NoticeConfiguration : IEntityTypeConfiguration<Notice>
{
    public void Configure(EntityTypeBuilder<Notice> builder)
    {
        builder.ToTable("Notices");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Id).ValueGeneratedNever();
        builder.HasOne<Agency>().WithMany().HasForeignKey(n => n.IssuerAgencyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Entity>().WithMany().HasForeignKey(n => n.SubjectEntityId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(n => n.Title).HasMaxLength(Domain.Records.Record.MaxTitleLength);
        builder.Property(n => n.Offence).HasMaxLength(300);
        builder.Property(n => n.DecisionReason).HasMaxLength(1000);
        builder.Property(n => n.ScreeningFlags).HasField("_screeningFlags").UsePropertyAccessMode(PropertyAccessMode.Field)
            .HasConversion(JsonConversions.StringList, JsonConversions.ListComparer<string>());
        builder.HasMany(n => n.Recipients).WithOne().HasForeignKey(r => r.NoticeId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(n => n.Recipients).HasField("_recipients").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasIndex(n => n.IssuerAgencyId);
    }
}

internal sealed class NoticeRecipientConfiguration : IEntityTypeConfiguration<NoticeRecipient>
{
    public void Configure(EntityTypeBuilder<NoticeRecipient> builder)
    {
        builder.ToTable("NoticeRecipients");
        builder.HasKey(r => new { r.NoticeId, r.AgencyId });
        builder.HasOne<Agency>().WithMany().HasForeignKey(r => r.AgencyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => r.AgencyId);
    }
}
