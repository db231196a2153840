// Reports the page's URL, as analytics or error reporting do; here to
// localStorage, from where the test's attacker server takes it.
localStorage.setItem('leaked', location.href);

// What script that runs after the module can still read of that URL.
addEventListener('pagehide', () => {
  localStorage.setItem('afterModule', JSON.stringify({
    href: location.href,
    navigation: performance.getEntriesByType('navigation')[0]?.name ?? '',
  }));
});
