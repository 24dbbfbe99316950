/**
 * A Svelte action for what must have the screen to itself (a dialog the customer signs in,
 * customer mode, a dispatcher's confirmation): the node moves onto the page's body and the
 * front end's root behind it (`#app` on the laptop, `#console` at HQ) becomes `inert`, so
 * neither the pointer nor Tab can reach anything else. Undone when the node goes.
 */
export function takeOver(node: HTMLElement) {
  const app = document.getElementById("app") ?? document.getElementById("console");
  document.body.appendChild(node);
  app?.setAttribute("inert", "");
  return {
    destroy() {
      app?.removeAttribute("inert");
      node.remove();
    },
  };
}
