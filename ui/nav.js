// The sidebar navigation (ui/nav.py): every page under a heading per section, drawn as one element.
// Links are real <a href>s (a new tab, a copied link, a screen reader's links list work as anywhere); a plain
// click or Enter asks Python to switch pages in the same session (st.switch_page), as st.page_link does, instead
// of reloading the app. aria-current (the page shown) is set by ui/a11y.js, on every render and page switch.
function draw(root, data) {
  const nav = document.createElement("nav");
  nav.className = "ll-nav";
  nav.setAttribute("aria-label", data.label);
  for (const [heading, entries] of data.sections) {
    const h = document.createElement("h2");
    h.className = "ll-nav-heading";
    h.textContent = heading;
    const ul = document.createElement("ul");
    for (const [path, title] of entries) {
      const a = document.createElement("a");
      a.href = path || "./";            // "./" names the app's root, also under a base URL path
      a.dataset.page = path;
      a.textContent = title;
      const li = document.createElement("li");
      li.append(a);
      ul.append(li);
    }
    nav.append(h, ul);
  }
  root.replaceChildren(nav);
}

export default function ({ data, parentElement, setTriggerValue }) {
  const text = JSON.stringify(data);
  if (parentElement.__llNav !== text) {   // the same links on every rerun: drawn again only when they change
    draw(parentElement, data);
    parentElement.__llNav = text;
  }
  parentElement.__llGo = setTriggerValue;
  if (!parentElement.__llClick) {
    parentElement.__llClick = true;
    parentElement.addEventListener("click", (event) => {
      const a = event.target.closest && event.target.closest("a[data-page]");
      // A modified or middle click keeps the browser's meaning (a new tab or window): only a plain one stays here.
      if (!a || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey
          || event.altKey) return;
      event.preventDefault();
      parentElement.__llGo("go", a.dataset.page);
    });
  }
}
