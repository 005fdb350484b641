using ChartCraft.Features.Auth;
using ChartCraft.Infrastructure.Health;

namespace ChartCraft.Infrastructure.Api;

public static partial class OpenApiExamples
{
    /// <summary>Accounts, tokens, profile, email verification and passwords, and the health checks.</summary>
    static Dictionary<Type, string> Auth => new()
    {
        [typeof(RegisterRequest)] = """
            {
              "email": "ada@example.com",
              "password": "correct horse 42",
              "first_name": "Ada",
              "last_name": "Lovelace"
            }
            """,
        [typeof(RegisterResponse)] = """
            {
              "user": {
                "id": "3f2b8c1e-5a7d-4e9b-8c21-7d4f0a6b9e15",
                "email": "ada@example.com",
                "first_name": "Ada",
                "last_name": "Lovelace",
                "subscription_tier": "free",
                "is_active": true,
                "created_at": "2026-03-14T09:26:53Z",
                "email_verified": false,
                "pending_email": null
              },
              "access_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIzZjJiOGMxZSIsImV4cCI6MTc5NjY2MDU3N30.mR7d2kVqL0f3nW8xZ1pY5bT9cA4eH6jK2sU0oI7gQ3E",
              "refresh_token": "4xhpJSn60407YDI_w8qPYqlsLNhHOiDQHCErNeblHy8",
              "token_type": "bearer",
              "expires_in": 86400
            }
            """,
        [typeof(LoginRequest)] = """
            {"email": "ada@example.com", "password": "correct horse 42"}
            """,
        [typeof(TokenResponse)] = """
            {
              "access_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIzZjJiOGMxZSIsImV4cCI6MTc5NjY2MDU3N30.mR7d2kVqL0f3nW8xZ1pY5bT9cA4eH6jK2sU0oI7gQ3E",
              "refresh_token": "OqJDNDHDrd66NwGvAv1_XVhe4pkttxgQFli0CvO-t5c",
              "token_type": "bearer",
              "expires_in": 86400
            }
            """,
        [typeof(RefreshRequest)] = """
            {"refresh_token": "4xhpJSn60407YDI_w8qPYqlsLNhHOiDQHCErNeblHy8"}
            """,
        [typeof(LogoutRequest)] = """
            {"refresh_token": "4xhpJSn60407YDI_w8qPYqlsLNhHOiDQHCErNeblHy8"}
            """,
        [typeof(UserResponse)] = """
            {
              "id": "3f2b8c1e-5a7d-4e9b-8c21-7d4f0a6b9e15",
              "email": "ada@example.com",
              "first_name": "Ada",
              "last_name": "Lovelace",
              "subscription_tier": "free",
              "is_active": true,
              "created_at": "2026-03-14T09:26:53Z",
              "email_verified": true,
              "pending_email": null
            }
            """,
        [typeof(UpdateProfileRequest)] = """
            {"first_name": "Ada", "last_name": "King", "email": "ada.king@example.com"}
            """,
        [typeof(VerifyEmailRequest)] = """
            {"token": "KCGCR9IhOMAIluksAquYiSYTaHMxg_EbTmLLRxumM5o"}
            """,
        [typeof(ChangePasswordRequest)] = """
            {"current_password": "correct horse 42", "new_password": "battery staple 1815"}
            """,
        [typeof(ForgotPasswordRequest)] = """
            {"email": "ada@example.com"}
            """,
        [typeof(ForgotPasswordResponse)] = """
            {"detail": "If an account uses this address, a link to reset its password is on its way."}
            """,
        [typeof(ResetPasswordRequest)] = """
            {"token": "Z0uan8chh4TjJV5E9Qdl2wzI1hL4qeWNURjreeB2z-U", "new_password": "battery staple 1815"}
            """,
        [typeof(LivenessResponse)] = """
            {"status": "ok"}
            """,
        [typeof(ReadinessResponse)] = """
            {
              "status": "ok",
              "checks": {
                "postgres": {"status": "up", "description": null, "duration_ms": 197},
                "redis": {"status": "up", "description": "ping 52.0 ms", "duration_ms": 107.8},
                "storage": {"status": "up", "description": "local", "duration_ms": 62.5}
              }
            }
            """,
    };
}
