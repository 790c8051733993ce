// Mattermost's ProcessSlackText for webhook text: Slack announcements become @-mentions,
// <@USERID> becomes @username, and <url|label> becomes a Markdown link.

export function processSlackText(text: string, usernameById: (id: string) => string | undefined): string {
  return text
    .replace(/<!(channel|here|all)>/g, '@$1')
    .replace(/<@([a-z0-9]{26})>/g, (whole, id: string) => {
      const username = usernameById(id);
      return username ? `@${username}` : whole;
    })
    .replace(/<([^\n<|>]+)\|([^\n>]+)>/g, '[$2]($1)');
}
