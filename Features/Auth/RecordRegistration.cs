using Wolverine.Marten;

namespace ChartCraft.Features.Auth;

/// <summary>Published through the outbox when an account is created.</summary>
public sealed record UserRegistered(Guid UserId, string Email, DateTimeOffset RegisteredAt);

/// <summary>An append-only record of account events, written by background handlers.</summary>
public sealed class AuditEntry : IOwnedDocument
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public string Kind { get; set; } = "";
    public DateTimeOffset At { get; set; }
}

/// <summary>Durable handler: runs after the registration commits, retried if it fails.</summary>
public static class RecordRegistrationHandler
{
    public static IMartenOp Handle(UserRegistered message) =>
        MartenOps.Store(new AuditEntry
        {
            Id = Guid.CreateVersion7(),
            UserId = message.UserId,
            Kind = "user.registered",
            At = message.RegisteredAt,
        });
}
