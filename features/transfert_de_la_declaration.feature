# language: fr
Fonctionnalité: Transférer la déclaration à un collègue qui connaît les risques de l'entreprise
  Les étapes qui suivent l'effectif concernent la prévention : elles demandent de connaître les
  risques et les situations de travail des salariés. « Une fois cette étape validée, vous pouvez
  poursuivre votre déclaration ou la transférer à un autre utilisateur si vous n'avez pas
  connaissance des risques de votre entreprise » (guide de la déclaration annuelle, étape 3).
  Le collègue, utilisateur du portail avec le rôle Déclaration, est prévenu par e-mail et
  reprend la déclaration là où elle en est.

  Contexte:
    Soit le service a enregistré l'adhérent « 00021 », raison sociale « Boulangerie des Ducs », et lui a envoyé par courrier le n° télédéclarant « 48151623 »
    Et Claire DURAND, gérante, a pour adresse e-mail « claire.durand@boulangerie-des-ducs.fr »
    Et Claire est administratrice de « Boulangerie des Ducs »
    Et Claire a enregistré les salariés de « Boulangerie des Ducs » :
      | salarié       | sexe | né(e) le   | contrat  | embauché(e) le | poste              |
      | Lisa LERGY    | F    | 12/12/1995 | CDI      | 27/09/2022     | Boulangère         |
      | Martin MARTIN | M    | 01/01/1970 | CDI      | 19/07/2024     | Vendeur            |
      | Sam PICQ      | M    | 05/11/1998 | Apprenti | 27/10/2022     | Apprenti boulanger |
    Et le service a ouvert la campagne 2026 : 79 € HT par salarié, outil d'évaluation des risques à 150 € HT par an
    Et Paul MOREAU, responsable de production, a pour adresse e-mail « paul.moreau@boulangerie-des-ducs.fr »
    Et Claire a donné accès au portail à Paul, avec le rôle Déclaration

  Scénario: Une fois l'effectif validé, Claire transfère la déclaration à Paul, qui la poursuit
    Soit Claire a validé les étapes 1 à 3 de la déclaration 2026
    Quand Claire transfère la déclaration 2026 à Paul
    Alors la modification de l'étape est enregistrée
    Et Paul reçoit l'e-mail « Déclaration annuelle 2026 de Boulangerie des Ducs : à vous de poursuivre » :
      """
      Claire DURAND vous a transféré la déclaration annuelle 2026 de Boulangerie des Ducs
      Connectez-vous au portail adhérent pour la poursuivre.
      """
    Et la déclaration 2026 est confiée à Paul
    Quand Paul se connecte au portail avec un code reçu par e-mail
    Et Paul répond à toutes les questions des six thèmes de prévention
    Et Paul valide l'étape 4
    Et Paul ajoute le risque « Travail de nuit »
    Et Paul ajoute le risque « Ambiance thermique : chaleur »
    Et Paul valide l'étape 5
    Alors l'étape 5 est validée et l'étape 9 est ouverte
    Et les étapes de la déclaration 2026, vues par Paul, sont :
      | étape | intitulé                            | ouverte | validée |
      | 1     | informations administratives        | oui     | oui     |
      | 2     | utilisateurs et contacts            | oui     | oui     |
      | 3     | effectif                            | oui     | oui     |
      | 4     | informations de prévention          | oui     | oui     |
      | 5     | risques dans votre entreprise       | oui     | oui     |
      | 6 à 8 | outil d'évaluation des risques      | oui     | non     |
      | 9     | situations de travail et agents CMR | oui     | non     |
      | 10    | récapitulatif                       | non     | non     |
    Et les risques déclarés par Paul pour 2026 sont « Travail de nuit » et « Ambiance thermique : chaleur »

  Scénario: La déclaration ne se transfère pas avant la validation de l'effectif (étape 3)
    Soit Claire a validé les étapes 1 à 2 de la déclaration 2026
    Quand Claire transfère la déclaration 2026 à Paul
    Alors la demande est refusée avec le code WORKFORCE_NOT_CONFIRMED
    Et le message affiché contient « Validez d'abord l'effectif (étape 3) avant de transférer la déclaration. »
    Et Paul n'a reçu aucun e-mail de transfert
    Et la déclaration 2026 n'est confiée à personne

  Scénario: La déclaration ne se transfère qu'à un utilisateur du portail de l'entreprise
    Soit Claire a validé les étapes 1 à 3 de la déclaration 2026
    Et Julie LEROY, comptable, a pour adresse e-mail « julie.leroy@cabinet-leroy.fr »
    Quand Claire transfère la déclaration 2026 à Julie, qui n'a pas accès au portail de l'entreprise
    Alors la demande est refusée avec le code USER_NOT_FOUND
    Et le message affiché contient « Cette personne n'est pas utilisatrice du portail pour cet adhérent. »
    Et la déclaration 2026 n'est confiée à personne

  Scénario: La déclaration ne se transfère qu'à quelqu'un qui peut la remplir
    Soit Claire a validé les étapes 1 à 3 de la déclaration 2026
    Et Julie LEROY, comptable, a pour adresse e-mail « julie.leroy@boulangerie-des-ducs.fr »
    Et Claire a donné accès au portail à Julie, avec le rôle Facturation
    Quand Claire transfère la déclaration 2026 à Julie
    Alors la demande est refusée avec le code NOT_A_DECLARANT
    Et le message affiché contient « ni le rôle Déclaration ni le rôle Administrateur »
    Et la déclaration 2026 n'est confiée à personne
