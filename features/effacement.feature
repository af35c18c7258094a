# language: fr
Fonctionnalité: Effacement d'un salarié
  Un salarié qui exerce son droit à l'effacement (article 17 du RGPD) disparaît de tout ce que le
  service garde : les événements, chaque table des modèles de lecture, les copies figées des
  déclarations, les documents, les courriers et les journaux. Son identité y est scellée sous une
  clé qui lui est propre ; détruire cette clé l'efface partout à la fois, sauvegardes comprises.
  La loi garde ce qui reste : ses expositions aux agents CMR et son suivi, rattachés à un
  identifiant qui ne le nomme pas, au moins 40 ans (article 17.3 b et c du RGPD ; article
  R4412-93-3 du Code du travail ; voir docs/PERSONAL_DATA.md).

  Scénario: Un salarié effacé disparaît partout sauf de ce que la loi garde
    Soit Séraphine DUPONT, née le 14/05/1990, exposée au « Trichloréthylène », est nommée dans la déclaration confirmée de son employeur
    Et le service la trouve en cherchant « dup »
    Quand le service efface son identité
    Alors ni son nom, ni son prénom, ni sa date de naissance, ni son NIR ne se trouvent plus dans aucune table, aucun événement, aucun document, aucun courrier ni aucun journal
    Et la recherche « dup » ne trouve plus personne
    Et la déclaration confirmée ne la nomme plus
    Mais la liste CMR garde son exposition au « Trichloréthylène », sans nom
