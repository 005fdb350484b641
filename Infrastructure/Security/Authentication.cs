using System.Text;
using ChartCraft.Infrastructure.Configuration;
using ChartCraft.Infrastructure.Errors;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace ChartCraft.Infrastructure.Security;

/// <summary>Bearer-token authentication: HMAC-signed JWTs with a pinned algorithm.</summary>
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
            };
            o.Events = new JwtBearerEvents
            {
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    var detail = context.AuthenticateFailure is SecurityTokenExpiredException
                        ? "The access token has expired."
                        : context.AuthenticateFailure is not null
                            ? "The access token is invalid."
                            : "An access token is required (Authorization: Bearer <token>).";
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
