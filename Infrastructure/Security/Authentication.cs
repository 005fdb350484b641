using System.Security.Claims;
using System.Text;
using ChartCraft.Infrastructure.Configuration;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace ChartCraft.Infrastructure.Security;

/// <summary>
/// Says whether a validly signed, unexpired access token has nevertheless been ended (its session logged out or
/// revoked, its user deactivated). Asked on every authenticated request, so it must not cost a database trip.
/// </summary>
public interface IAccessTokenRevocation
{
    ValueTask<bool> IsRevokedAsync(ClaimsPrincipal token, CancellationToken ct);
}

/// <summary>A token refused by <see cref="IAccessTokenRevocation"/>.</summary>
public sealed class SecurityTokenRevokedException() : SecurityTokenException("The access token's session has ended.");

/// <summary>Bearer-token authentication: HMAC-signed JWTs with a pinned algorithm, checked against revocations.</summary>
public static class Authentication
{
    public static SymmetricSecurityKey SigningKey(JwtSettings jwt) => new(Encoding.UTF8.GetBytes(jwt.SecretKey));

    public static string SecurityAlgorithm(JwtSettings jwt) => jwt.Algorithm switch
    {
        "HS384" => SecurityAlgorithms.HmacSha384,
        "HS512" => SecurityAlgorithms.HmacSha512,
        _ => SecurityAlgorithms.HmacSha256,
    };

    public static IServiceCollection AddChartCraftAuthentication(this IServiceCollection services, JwtSettings jwt)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.RequireHttpsMetadata = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = true,
                ValidIssuer = jwt.Issuer,
                ValidateAudience = true,
                ValidAudience = jwt.Issuer,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                RequireSignedTokens = true,
                ValidateIssuerSigningKey = true,
                IssuerSigningKey = SigningKey(jwt),
                // Pinning the algorithm rejects "alg: none" and algorithm-confusion tokens.
                ValidAlgorithms = [SecurityAlgorithm(jwt)],
                ClockSkew = TimeSpan.FromSeconds(30),
                NameClaimType = "sub",
                // Roles("admin") on an endpoint reads this claim (MapInboundClaims is off, so it keeps its JWT name).
                RoleClaimType = "role",
            };
            o.Events = new JwtBearerEvents
            {
                OnTokenValidated = async context =>
                {
                    // The signature and lifetime say the token was issued; only the revocation markers say it still counts.
                    var revocation = context.HttpContext.RequestServices.GetService<IAccessTokenRevocation>();
                    if (revocation is not null && await revocation.IsRevokedAsync(context.Principal!, context.HttpContext.RequestAborted))
                        context.Fail(new SecurityTokenRevokedException());
                },
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    var detail = context.AuthenticateFailure switch
                    {
                        SecurityTokenExpiredException => "The access token has expired.",
                        SecurityTokenRevokedException =>
                            "The access token's session has ended (signed out, revoked, or the account changed); sign in again.",
                        not null => "The access token is invalid.",
                        null => "An access token is required (Authorization: Bearer <token>).",
                    };
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                    await Problems.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Unauthorized", detail);
                },
                OnForbidden = context =>
                    Problems.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden"),
            };
        });
        services.AddAuthorization();
        return services;
    }
}
