package workflow

import (
	"context"
	"os"
	"os/exec"
	"os/user"
	"strings"
	"time"

	"github.com/tidemark-dev/tidemark/internal/usererr"
)

// Settings holding the workspace user (edited in Settings).
const (
	SettingUserName  = "user.name"
	SettingUserEmail = "user.email"
)

// User returns the workspace user: the member the context acts as
// (WithActor), else the name and email set in Settings, else the OS user
// with the name and email of `git config` when there are.
func (s *Service) User(ctx context.Context) (User, error) {
	if u, ok := actorFrom(ctx); ok {
		return u, nil
	}
	name, _, err := s.d.WS.Setting(ctx, SettingUserName)
	if err != nil {
		return User{}, err
	}
	email, _, err := s.d.WS.Setting(ctx, SettingUserEmail)
	if err != nil {
		return User{}, err
	}
	if name != "" {
		return User{Name: name, Email: email}, nil
	}
	return DefaultUser(ctx), nil
}

// SetUser stores the workspace user (an empty name goes back to the default).
func (s *Service) SetUser(ctx context.Context, u User) (User, error) {
	u.Name, u.Email = strings.TrimSpace(u.Name), strings.TrimSpace(u.Email)
	if u.Email != "" && !strings.Contains(u.Email, "@") {
		return User{}, usererr.Invalid("email", "%q is not an email address", u.Email)
	}
	if u.Name == "" {
		if err := s.d.WS.DeleteSetting(ctx, SettingUserName); err != nil {
			return User{}, err
		}
		if err := s.d.WS.DeleteSetting(ctx, SettingUserEmail); err != nil {
			return User{}, err
		}
		return s.User(ctx)
	}
	if err := s.d.WS.SetSetting(ctx, SettingUserName, u.Name); err != nil {
		return User{}, err
	}
	if err := s.d.WS.SetSetting(ctx, SettingUserEmail, u.Email); err != nil {
		return User{}, err
	}
	return u, nil
}

// DefaultUser is the OS user, named and addressed as `git config` says when
// it does.
func DefaultUser(ctx context.Context) User {
	u := User{}
	if cur, err := user.Current(); err == nil {
		u.Name = cur.Username
	}
	if u.Name == "" {
		u.Name = os.Getenv("USER")
	}
	if n := gitConfig(ctx, "user.name"); n != "" {
		u.Name = n
	}
	u.Email = gitConfig(ctx, "user.email")
	if u.Name == "" {
		u.Name = "tidemark"
	}
	return u
}

func gitConfig(ctx context.Context, key string) string {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "git", "config", "--get", key).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}
