// Starts GraphiQL on /graphql with the assets vendored beside this file (no CDN).
(function () {
  const fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
  const root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery:
        "# Registre : l'API GraphQL du portail adhérent.\n" +
        "# Ouvrez une session (loginWithCode ou loginWithPassword), puis placez le jeton\n" +
        '# dans l\'onglet Headers : {"Authorization": "Bearer <jeton>"}\n' +
        "{\n  __typename\n}\n",
      defaultEditorToolsVisibility: true,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: true,
      inputValueDeprecation: true,
    }),
  );
})();
