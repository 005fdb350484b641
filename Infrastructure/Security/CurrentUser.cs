using System.Security.Claims;

namespace ChartCraft.Infrastructure.Security;

public static class CurrentUser
{
    /// <summary>The authenticated user's id (the token's <c>sub</c>); endpoints that call this require auth.</summary>
    public static Guid UserId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue("sub"), out var id)
            ? id
            : throw new InvalidOperationException("No authenticated user on this request");
}
