package workspace

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/tidemark-dev/tidemark/internal/risk"
)

// MemberRole is a role a member holds: workspace wide, or in one project
// (ProjectID set; only the project roles).
type MemberRole struct {
	Role      string `json:"role"`
	ProjectID string `json:"projectId,omitempty"`
}

func (r MemberRole) String() string {
	if r.ProjectID != "" {
		return risk.RoleTitle(r.Role) + " of " + r.ProjectID
	}
	return risk.RoleTitle(r.Role)
}

// Member is a workspace member. The first member added is the Workspace
// Admin and, while nobody else is a member, holds every role.
type Member struct {
	ID        string       `json:"id"` // the email, else the name
	Name      string       `json:"name"`
	Email     string       `json:"email,omitempty"`
	Roles     []MemberRole `json:"roles"`
	Position  int          `json:"-"`
	CreatedAt time.Time    `json:"createdAt"`
	// Sole is set when the member is the only one: they hold every role.
	Sole bool `json:"sole"`
}

// MemberID is the id of a member with this name and email.
func MemberID(name, email string) string {
	if email = strings.TrimSpace(email); email != "" {
		return strings.ToLower(email)
	}
	return strings.TrimSpace(name)
}

// Holds reports whether the member holds role in project (a project role
// granted without a project counts in every project).
func (m Member) Holds(role, projectID string) bool {
	if m.Sole {
		return true
	}
	for _, r := range m.Roles {
		if r.Role == role && (r.ProjectID == "" || r.ProjectID == projectID) {
			return true
		}
	}
	return false
}

// ErrLastHolder is a removal or revocation that would leave a flow without
// anyone holding one of its roles.
var ErrLastHolder = errors.New("the last holder of a role a flow needs")

func isProjectRole(role string) bool {
	return role == risk.RoleProjectOwner || role == risk.RoleDeveloper || role == risk.RoleReleaser
}

func checkRole(r MemberRole) (MemberRole, error) {
	role, err := risk.ParseRole(r.Role)
	if err != nil {
		return r, fmt.Errorf("%v: %w", err, ErrInvalid)
	}
	r.Role = role
	if r.ProjectID != "" && !isProjectRole(role) {
		return r, fmt.Errorf("%s is a workspace role, not held per project: %w", risk.RoleTitle(role), ErrInvalid)
	}
	return r, nil
}

// ListMembers returns the members in the order they were added.
func (s *Store) ListMembers(ctx context.Context) ([]Member, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, email, position, created_at FROM members ORDER BY position`)
	if err != nil {
		return nil, fmt.Errorf("list members: %w", err)
	}
	defer rows.Close()
	out := []Member{}
	idx := map[string]int{}
	for rows.Next() {
		var m Member
		var at string
		if err := rows.Scan(&m.ID, &m.Name, &m.Email, &m.Position, &at); err != nil {
			return nil, fmt.Errorf("list members: %w", err)
		}
		m.CreatedAt, m.Roles = parseTime(at), []MemberRole{}
		idx[m.ID] = len(out)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list members: %w", err)
	}
	rr, err := s.db.QueryContext(ctx, `SELECT member_id, role, project_id FROM member_roles ORDER BY member_id, role, project_id`)
	if err != nil {
		return nil, fmt.Errorf("list member roles: %w", err)
	}
	defer rr.Close()
	for rr.Next() {
		var id string
		var r MemberRole
		if err := rr.Scan(&id, &r.Role, &r.ProjectID); err != nil {
			return nil, fmt.Errorf("list member roles: %w", err)
		}
		if i, ok := idx[id]; ok {
			out[i].Roles = append(out[i].Roles, r)
		}
	}
	if err := rr.Err(); err != nil {
		return nil, fmt.Errorf("list member roles: %w", err)
	}
	for i := range out {
		sortRoles(out[i].Roles)
	}
	if len(out) == 1 {
		out[0].Sole = true
	}
	return out, nil
}

func sortRoles(rs []MemberRole) {
	rank := map[string]int{}
	for i, r := range risk.Roles {
		rank[r] = i
	}
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].Role != rs[j].Role {
			return rank[rs[i].Role] < rank[rs[j].Role]
		}
		return rs[i].ProjectID < rs[j].ProjectID
	})
}

// GetMember finds a member by id, email or name (case-insensitive).
func (s *Store) GetMember(ctx context.Context, ref string) (Member, error) {
	ms, err := s.ListMembers(ctx)
	if err != nil {
		return Member{}, err
	}
	ref = strings.TrimSpace(ref)
	for _, m := range ms {
		if strings.EqualFold(m.ID, ref) || strings.EqualFold(m.Email, ref) || strings.EqualFold(m.Name, ref) {
			return m, nil
		}
	}
	return Member{}, notFound("member", ref)
}

// AddMember adds a member with roles. The first member is the Workspace
// Admin (the role is added).
func (s *Store) AddMember(ctx context.Context, name, email string, roles []MemberRole) (Member, error) {
	name, email = strings.TrimSpace(name), strings.TrimSpace(email)
	if name == "" {
		return Member{}, fmt.Errorf("a member needs a name: %w", ErrInvalid)
	}
	if email != "" && !strings.Contains(email, "@") {
		return Member{}, fmt.Errorf("%q is not an email address: %w", email, ErrInvalid)
	}
	for i, r := range roles {
		c, err := checkRole(r)
		if err != nil {
			return Member{}, err
		}
		roles[i] = c
	}
	id := MemberID(name, email)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Member{}, fmt.Errorf("add member: %w", err)
	}
	defer tx.Rollback()
	var pos sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT max(position) FROM members`).Scan(&pos); err != nil {
		return Member{}, fmt.Errorf("add member: %w", err)
	}
	if !pos.Valid {
		roles = append(roles, MemberRole{Role: risk.RoleWorkspaceAdmin})
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO members (id, name, email, position, created_at) VALUES (?, ?, ?, ?, ?)`,
		id, name, email, pos.Int64+1, now()); err != nil {
		if isUnique(err) {
			return Member{}, fmt.Errorf("%s is already a member: %w", id, ErrDuplicate)
		}
		return Member{}, fmt.Errorf("add member: %w", err)
	}
	for _, r := range roles {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO member_roles (member_id, role, project_id) VALUES (?, ?, ?)`, id, r.Role, r.ProjectID); err != nil {
			return Member{}, fmt.Errorf("add member: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return Member{}, fmt.Errorf("add member: %w", err)
	}
	return s.GetMember(ctx, id)
}

// EnsureMember returns the member with this name and email, adding them
// when the workspace has no member yet (the first user becomes the
// Workspace Admin). A user who is not a member of a workspace that has
// members is ErrNotFound.
func (s *Store) EnsureMember(ctx context.Context, name, email string) (Member, error) {
	id := MemberID(name, email)
	m, err := s.GetMember(ctx, id)
	if err == nil || !errors.Is(err, ErrNotFound) {
		return m, err
	}
	ms, err := s.ListMembers(ctx)
	if err != nil {
		return Member{}, err
	}
	if len(ms) > 0 {
		return Member{}, fmt.Errorf("%s is not a member of this workspace (members: tidemark member list): %w", id, ErrNotFound)
	}
	m, err = s.AddMember(ctx, name, email, nil)
	if errors.Is(err, ErrDuplicate) {
		return s.GetMember(ctx, id)
	}
	return m, err
}

// GrantRole gives a member a role.
func (s *Store) GrantRole(ctx context.Context, ref string, r MemberRole) (Member, error) {
	r, err := checkRole(r)
	if err != nil {
		return Member{}, err
	}
	m, err := s.GetMember(ctx, ref)
	if err != nil {
		return Member{}, err
	}
	if r.ProjectID != "" {
		if _, err := s.GetProject(ctx, r.ProjectID); err != nil {
			return Member{}, err
		}
	}
	if _, err := s.db.ExecContext(ctx, `INSERT OR IGNORE INTO member_roles (member_id, role, project_id) VALUES (?, ?, ?)`, m.ID, r.Role, r.ProjectID); err != nil {
		return Member{}, fmt.Errorf("grant role: %w", err)
	}
	return s.GetMember(ctx, m.ID)
}

// RevokeRole takes a role from a member; refused (ErrLastHolder) when they
// are the only holder of a role an approval flow needs.
func (s *Store) RevokeRole(ctx context.Context, ref string, r MemberRole) (Member, error) {
	r, err := checkRole(r)
	if err != nil {
		return Member{}, err
	}
	m, err := s.GetMember(ctx, ref)
	if err != nil {
		return Member{}, err
	}
	if err := s.checkHolders(ctx, m.ID, &r); err != nil {
		return Member{}, err
	}
	res, err := s.db.ExecContext(ctx, `DELETE FROM member_roles WHERE member_id = ? AND role = ? AND project_id = ?`, m.ID, r.Role, r.ProjectID)
	if err != nil {
		return Member{}, fmt.Errorf("revoke role: %w", err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return Member{}, fmt.Errorf("%s does not hold %s: %w", m.ID, r, ErrNotFound)
	}
	return s.GetMember(ctx, m.ID)
}

// RemoveMember removes a member; refused (ErrLastHolder) when they are the
// only holder of a role an approval flow needs, naming the flows.
func (s *Store) RemoveMember(ctx context.Context, ref string) error {
	m, err := s.GetMember(ctx, ref)
	if err != nil {
		return err
	}
	if err := s.checkHolders(ctx, m.ID, nil); err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM members WHERE id = ?`, m.ID); err != nil {
		return fmt.Errorf("remove member: %w", err)
	}
	return nil
}

// checkHolders refuses to take away from member id the role only (all its
// roles when nil) when the members left would hold no one of a role that a
// template some approval rule uses needs. Only the roles granted count: a
// sole member's implicit roles do not survive them.
func (s *Store) checkHolders(ctx context.Context, id string, only *MemberRole) error {
	ms, err := s.ListMembers(ctx)
	if err != nil {
		return err
	}
	tpls, err := s.ListApprovalTemplates(ctx)
	if err != nil {
		return err
	}
	rules, err := s.ListApprovalRules(ctx)
	if err != nil {
		return err
	}
	used := map[string]bool{}
	for _, r := range rules {
		used[r.TemplateID] = true
	}
	held := func(role string) bool {
		for _, m := range ms {
			for _, r := range m.Roles {
				if r.Role != role {
					continue
				}
				if m.ID == id && (only == nil || *only == r) {
					continue
				}
				return true
			}
		}
		return false
	}
	// Only refuse what this change causes: a role nobody held before is
	// not the member's doing.
	before := map[string]bool{}
	for _, m := range ms {
		for _, r := range m.Roles {
			before[r.Role] = true
		}
	}
	var out []string
	for _, t := range tpls {
		if !used[t.ID] {
			continue
		}
		for _, st := range t.Steps {
			if before[st.Role] && !held(st.Role) {
				out = append(out, fmt.Sprintf("%q needs a %s", t.Title, risk.RoleTitle(st.Role)))
				break
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return fmt.Errorf("%s is the only holder of a role these approval flows need: %s; grant it to another member first: %w", id, strings.Join(out, ", "), ErrLastHolder)
}
